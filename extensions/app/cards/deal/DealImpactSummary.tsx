import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, DealImpactViewSchema } from '../contract.ts';
import { CardDataView } from '../shared/CardDataView.tsx';
import { createFormatters } from '../shared/format.ts';
import { FullCardLink } from '../shared/FullCardLink.tsx';
import { useCardData } from '../shared/useCardData.ts';
import { DealImpactSummaryPanel } from './DealImpactSummaryPanel.tsx';

/** The deal impact summary for the record sidebar, from the tab card's view (one GET, the same endpoint). */
export function DealImpactSummary({ context }: { context: CrmContext }) {
  const { state, reload } = useCardData(cardApiPaths.dealView(context.crm.objectId), DealImpactViewSchema);
  const format = useMemo(() => createFormatters(context), [context]);

  return (
    <CardDataView state={state} onRetry={reload} notSynced="deal">
      {(view) => <DealImpactSummaryPanel view={view} format={format} fullCard={<FullCardLink context={context} tab="Lifecycle impact" />} />}
    </CardDataView>
  );
}
