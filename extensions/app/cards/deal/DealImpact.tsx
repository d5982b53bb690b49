import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, DealImpactViewSchema } from '../contract.ts';
import { CardDataView } from '../shared/CardDataView.tsx';
import { createFormatters } from '../shared/format.ts';
import { useCardData } from '../shared/useCardData.ts';
import { DealImpactView } from './DealImpactView.tsx';

export function DealImpact({ context }: { context: CrmContext }) {
  const { state, reload } = useCardData(cardApiPaths.dealView(context.crm.objectId), DealImpactViewSchema);
  const format = useMemo(() => createFormatters(context), [context]);

  return (
    <CardDataView state={state} onRetry={reload} notSynced="deal">
      {(view) => <DealImpactView view={view} format={format} />}
    </CardDataView>
  );
}
