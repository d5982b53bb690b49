import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, ContactLifecycleViewSchema } from '../contract.ts';
import { CardDataView } from '../shared/CardDataView.tsx';
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

  return (
    <CardDataView state={state} onRetry={reload} notSynced="contact">
      {(view) => <ContactLifecycleView view={view} format={format} actions={<ContactActions allowed={view.allowedActions} status={status} onRun={run} />} />}
    </CardDataView>
  );
}
