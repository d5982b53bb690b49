import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, CompanyHealthViewSchema } from '../contract.ts';
import { CardDataView } from '../shared/CardDataView.tsx';
import { createFormatters } from '../shared/format.ts';
import { FullCardLink } from '../shared/FullCardLink.tsx';
import { useCardData } from '../shared/useCardData.ts';
import { CompanyHealthSummaryPanel } from './CompanyHealthSummaryPanel.tsx';

/** The company health summary for the record sidebar, from the tab card's view (one GET, the same endpoint). */
export function CompanyHealthSummary({ context }: { context: CrmContext }) {
  const { state, reload } = useCardData(cardApiPaths.companyView(context.crm.objectId), CompanyHealthViewSchema);
  const format = useMemo(() => createFormatters(context), [context]);

  return (
    <CardDataView state={state} onRetry={reload} notSynced="company">
      {(view) => <CompanyHealthSummaryPanel view={view} format={format} fullCard={<FullCardLink context={context} tab="Lifecycle health" />} />}
    </CardDataView>
  );
}
