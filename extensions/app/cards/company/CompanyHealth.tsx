import type { CrmContext } from '@hubspot/ui-extensions';
import { useMemo } from 'react';
import { cardApiPaths, CompanyHealthViewSchema } from '../contract.ts';
import { CardDataView } from '../shared/CardDataView.tsx';
import { createFormatters } from '../shared/format.ts';
import { useCardData } from '../shared/useCardData.ts';
import { CompanyHealthView } from './CompanyHealthView.tsx';

export function CompanyHealth({ context }: { context: CrmContext }) {
  const { state, reload } = useCardData(cardApiPaths.companyView(context.crm.objectId), CompanyHealthViewSchema);
  const format = useMemo(() => createFormatters(context), [context]);

  return (
    <CardDataView state={state} onRetry={reload} notSynced="company">
      {(view) => <CompanyHealthView view={view} format={format} />}
    </CardDataView>
  );
}
