import {
  BarChart,
  Divider,
  Flex,
  Heading,
  ScoreCircle,
  Statistics,
  StatisticsItem,
  StatisticsTrend,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { CompanyHealthView as View, HealthComponentScore, StageCount } from '../contract.ts';
import type { Formatters } from '../shared/format.ts';
import { TransitionHistoryTable } from '../shared/TransitionHistoryTable.tsx';

type SyncedView = Extract<View, { synced: true }>;

const BANDS: Record<SyncedView['band'], { label: string; variant: 'success' | 'warning' | 'error' }> = {
  healthy: { label: 'Healthy', variant: 'success' },
  at_risk: { label: 'At risk', variant: 'warning' },
  critical: { label: 'Critical', variant: 'error' },
};

/** Pure presentation of an account's lifecycle health. */
export function CompanyHealthView({ view, format }: { view: SyncedView; format: Formatters }) {
  const band = BANDS[view.band];
  return (
    <Flex direction="column" gap="md">
      <Flex direction="row" gap="md" align="center">
        <ScoreCircle score={Math.round(view.score)} />
        <Statistics>
          <StatisticsItem label="Health score" number={format.number(view.score)}>
            {view.trend && view.trend.delta !== 0 ? (
              <StatisticsTrend
                value={`${format.signedNumber(view.trend.delta)} vs ${format.days(view.trend.days)} ago`}
                direction={view.trend.delta > 0 ? 'increase' : 'decrease'}
                color={view.trend.delta > 0 ? 'green' : 'red'}
              />
            ) : (
              <Text variant="microcopy">{view.trend ? `No change vs ${format.days(view.trend.days)} ago` : 'No earlier score yet'}</Text>
            )}
          </StatisticsItem>
        </Statistics>
        <Tag variant={band.variant}>{band.label}</Tag>
      </Flex>
      <Text>{view.accountStage ? `Account stage: ${view.accountStage.label}` : 'No contact or deal of this account is in the lifecycle yet.'}</Text>
      <Divider />
      <Heading>What the score is made of</Heading>
      <ComponentsTable components={view.components} format={format} />
      <Divider />
      <Heading>Contacts per stage</Heading>
      <ContactsPerStageChart counts={view.contactsPerStage} />
      <Divider />
      <Heading>Account journey</Heading>
      <TransitionHistoryTable transitions={view.journey} format={format} emptyText="The account has no transitions yet." />
    </Flex>
  );
}

function ComponentsTable({ components, format }: { components: HealthComponentScore[]; format: Formatters }) {
  return (
    <Table bordered density="condensed" testId="health-components">
      <TableHead>
        <TableRow>
          <TableHeader>Component</TableHeader>
          <TableHeader align="right">Weight</TableHeader>
          <TableHeader align="right">Score</TableHeader>
          <TableHeader>Detail</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {components.map((component) => (
          <TableRow key={component.id}>
            <TableCell>{component.label}</TableCell>
            <TableCell align="right">{format.percent(component.weight / 100)}</TableCell>
            <TableCell align="right">{format.percent(component.score)}</TableCell>
            <TableCell>{component.detail}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ContactsPerStageChart({ counts }: { counts: StageCount[] }) {
  if (counts.every((row) => row.count === 0)) return <Text>No contacts of this account are in the lifecycle yet.</Text>;
  return (
    <BarChart
      data={counts.map((row) => ({ stage: row.label, contacts: row.count }))}
      axes={{ x: { field: 'stage', fieldType: 'category', label: 'Stage' }, y: { field: 'contacts', fieldType: 'linear', label: 'Contacts' } }}
      options={{ showDataLabels: true, showTooltips: true }}
    />
  );
}
