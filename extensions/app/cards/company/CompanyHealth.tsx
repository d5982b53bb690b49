import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, CompanyHealthViewSchema } from '../contract.ts';
import { CardError, CardLoading, CardNotSynced } from '../shared/CardStates.tsx';
import { createFormatters } from '../shared/format.ts';
import { useCardData } from '../shared/useCardData.ts';
import { CompanyHealthView } from './CompanyHealthView.tsx';

export function CompanyHealth({ context }: { context: CrmContext }) {
  const { state, reload } = useCardData(cardApiPaths.companyView(context.crm.objectId), CompanyHealthViewSchema);
  const format = useMemo(() => createFormatters(context), [context]);

  switch (state.status) {
    case 'loading':
      return <CardLoading />;
    case 'error':
      return <CardError message={state.message} onRetry={reload} />;
    case 'success':
      return state.data.synced ? <CompanyHealthView view={state.data} format={format} /> : <CardNotSynced what="company" />;
  }
}
