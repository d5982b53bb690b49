import { Flex, Heading, Tag, Text } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { CompanyHealthView, StageCount } from '../contract.ts';
import type { Formatters } from '../shared/format.ts';

type SyncedCompany = Extract<CompanyHealthView, { synced: true }>;

const BANDS: Record<SyncedCompany['band'], { label: string; variant: 'success' | 'warning' | 'error' }> = {
  healthy: { label: 'Healthy', variant: 'success' },
  at_risk: { label: 'At risk', variant: 'warning' },
  critical: { label: 'Critical', variant: 'error' },
};

/** Pure presentation of an account's health at sidebar width: score, band, trend, stage, contacts, weakest spot. */
export function CompanyHealthSummaryPanel({ view, format, fullCard }: { view: SyncedCompany; format: Formatters; fullCard: ReactNode }) {
  const band = BANDS[view.band];
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="xs" align="center" wrap="wrap">
        <Heading>{`Health ${format.number(view.score)}`}</Heading>
        <Tag testId="band" variant={band.variant}>
          {band.label}
        </Tag>
      </Flex>
      <Text testId="trend" variant="microcopy">
        {trendText(view.trend, format)}
      </Text>
      <Text testId="account-stage">{view.accountStage ? `Account stage: ${view.accountStage.label}` : 'No account stage yet.'}</Text>
      <Text testId="contacts-per-stage">{contactsLine(view.contactsPerStage, format)}</Text>
      {view.weakestComponent && (
        <Text testId="weakest-component">{`Weakest: ${view.weakestComponent.label} (−${format.number(view.weakestComponent.pointsLost)} points). ${view.weakestComponent.detail}`}</Text>
      )}
      {fullCard}
    </Flex>
  );
}

function trendText(trend: SyncedCompany['trend'], format: Formatters): string {
  if (!trend) return 'No earlier score to compare with yet.';
  if (trend.delta === 0) return `No change vs ${format.days(trend.days)} ago.`;
  return `${format.signedNumber(trend.delta)} vs ${format.days(trend.days)} ago (was ${format.number(trend.previous)}).`;
}

/** One line, stages in the model's order, empty stages left out. */
function contactsLine(counts: StageCount[], format: Formatters): string {
  const occupied = counts.filter((row) => row.count > 0);
  if (occupied.length === 0) return 'No contacts in the lifecycle yet.';
  return `Contacts: ${occupied.map((row) => `${row.label} ${format.number(row.count)}`).join(' · ')}`;
}
