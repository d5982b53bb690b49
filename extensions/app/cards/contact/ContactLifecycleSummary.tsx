import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, ContactLifecycleViewSchema } from '../contract.ts';
import { CardDataView } from '../shared/CardDataView.tsx';
import { createFormatters } from '../shared/format.ts';
import { FullCardLink } from '../shared/FullCardLink.tsx';
import { useCardData } from '../shared/useCardData.ts';
import { ActionOutcome } from './ContactActions.tsx';
import { ContactSummaryPanel } from './ContactSummaryPanel.tsx';
import { SuggestedActionForm } from './SuggestedActionForm.tsx';
import { useContactAction } from './useContactAction.ts';

/**
 * The contact summary for the record sidebar and the preview panel: the tab card's view (one GET, the same
 * endpoint), drawn small, with the one suggested action; rendering is ContactSummaryPanel's job.
 */
export function ContactLifecycleSummary({ context }: { context: CrmContext }) {
  const objectId = context.crm.objectId;
  const { state, reload, replace } = useCardData(cardApiPaths.contactView(objectId), ContactLifecycleViewSchema);
  const { status, run } = useContactAction(objectId, replace);
  const format = useMemo(() => createFormatters(context), [context]);

  return (
    <CardDataView state={state} onRetry={reload} notSynced="contact">
      {(view) => (
        <ContactSummaryPanel
          view={view}
          format={format}
          action={
            // The outcome stays after the action, even when the new view suggests nothing more.
            <>
              {view.suggestedAction && <SuggestedActionForm suggestion={view.suggestedAction} status={status} onRun={run} />}
              <ActionOutcome status={status} />
            </>
          }
          fullCard={<FullCardLink context={context} tab="Lifecycle" />}
        />
      )}
    </CardDataView>
  );
}
