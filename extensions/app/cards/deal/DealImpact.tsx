import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, DealImpactViewSchema } from '../contract.ts';
import { CardError, CardLoading, CardNotSynced } from '../shared/CardStates.tsx';
import { createFormatters } from '../shared/format.ts';
import { useCardData } from '../shared/useCardData.ts';
import { DealImpactView } from './DealImpactView.tsx';

export function DealImpact({ context }: { context: CrmContext }) {
  const { state, reload } = useCardData(cardApiPaths.dealView(context.crm.objectId), DealImpactViewSchema);
  const format = useMemo(() => createFormatters(context), [context]);

  switch (state.status) {
    case 'loading':
      return <CardLoading />;
    case 'error':
      return <CardError message={state.message} onRetry={reload} />;
    case 'success':
      return state.data.synced ? <DealImpactView view={state.data} format={format} /> : <CardNotSynced what="deal" />;
  }
}
