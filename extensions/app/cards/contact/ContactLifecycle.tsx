import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, ContactLifecycleViewSchema } from '../contract.ts';
import { CardError, CardLoading, CardNotSynced } from '../shared/CardStates.tsx';
import { createFormatters } from '../shared/format.ts';
import { useCardData } from '../shared/useCardData.ts';
import { ContactActions } from './ContactActions.tsx';
import { ContactLifecycleView } from './ContactLifecycleView.tsx';
import { useContactAction } from './useContactAction.ts';

/** Loads the contact's lifecycle view and wires the actions; rendering is ContactLifecycleView's job. */
export function ContactLifecycle({ context }: { context: CrmContext }) {
  const objectId = context.crm.objectId;
  const { state, reload, replace } = useCardData(cardApiPaths.contactView(objectId), ContactLifecycleViewSchema);
  const { status, run } = useContactAction(objectId, replace);
  const format = useMemo(() => createFormatters(context), [context]);

  switch (state.status) {
    case 'loading':
      return <CardLoading />;
    case 'error':
      return <CardError message={state.message} onRetry={reload} />;
    case 'success':
      if (!state.data.synced) return <CardNotSynced what="contact" />;
      return <ContactLifecycleView view={state.data} format={format} actions={<ContactActions allowed={state.data.allowedActions} status={status} onRun={run} />} />;
  }
}
