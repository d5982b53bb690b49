import { Flex, Text } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { DealImpactView } from '../contract.ts';
import type { Formatters } from '../shared/format.ts';
import { impactLine } from './impact-lines.ts';

type SyncedDeal = Extract<DealImpactView, { synced: true }>;

/** Pure presentation of what the deal's close does, in two lines at sidebar width. */
export function DealImpactSummaryPanel({ view, format, fullCard }: { view: SyncedDeal; format: Formatters; fullCard: ReactNode }) {
  return (
    <Flex direction="column" gap="xs">
      {view.impacts.length === 0 ? (
        <Text testId="no-impact">No associated contact or company: winning or losing this deal moves no one.</Text>
      ) : view.outcome ? (
        <Text testId="outcome">{`This deal was ${view.outcome}: its lifecycle moves have been applied.`}</Text>
      ) : (
        <>
          <Text testId="if-won">{impactLine(view.impacts, 'win', format)}</Text>
          <Text testId="if-lost">{impactLine(view.impacts, 'loss', format)}</Text>
        </>
      )}
      {fullCard}
    </Flex>
  );
}
