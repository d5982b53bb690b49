import { Alert, EmptyState, Flex, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { DealImpact, DealImpactView as View } from '../contract.ts';
import type { Formatters } from '../shared/format.ts';

type SyncedView = Extract<View, { synced: true }>;

const OUTCOME_NOTES = {
  won: 'This deal was won: the "If won" column has been applied.',
  lost: 'This deal was lost: the "If lost" column has been applied.',
} as const;

/** Pure presentation of what winning or losing the deal does to its account and contacts. */
export function DealImpactView({ view, format }: { view: SyncedView; format: Formatters }) {
  if (view.impacts.length === 0) {
    return (
      <EmptyState title="No lifecycle impact" layout="vertical" imageName="deals">
        <Text>This deal has no associated contacts or company, so winning or losing it moves no one.</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      {view.outcome && (
        <Alert title={view.outcome === 'won' ? 'Deal won' : 'Deal lost'} variant="info">
          {OUTCOME_NOTES[view.outcome]}
        </Alert>
      )}
      <Table bordered density="condensed" testId="deal-impact">
        <TableHead>
          <TableRow>
            <TableHeader>Record</TableHeader>
            <TableHeader>Now</TableHeader>
            <TableHeader>If won</TableHeader>
            <TableHeader>If lost</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {view.impacts.map((impact) => (
            <TableRow key={`${impact.subject.type}-${impact.subject.id}`}>
              <TableCell>{impact.subject.type === 'account' ? `${impact.subject.name} (account)` : impact.subject.name}</TableCell>
              <TableCell>{impact.current?.label ?? 'Not in the lifecycle'}</TableCell>
              <TableCell>{afterWin(impact)}</TableCell>
              <TableCell>{afterLoss(impact, format)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}

const unchanged = (impact: DealImpact, stageId: string) => impact.current?.id === stageId;

function afterWin(impact: DealImpact): string {
  return unchanged(impact, impact.afterWin.id) ? 'No change' : impact.afterWin.label;
}

function afterLoss(impact: DealImpact, format: Formatters): string {
  const { stage, pauseDays } = impact.afterLoss;
  const label = unchanged(impact, stage.id) ? 'No change' : stage.label;
  return pauseDays ? `${label}, marketing email paused ${format.days(pauseDays)}` : label;
}
