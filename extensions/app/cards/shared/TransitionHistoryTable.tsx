import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import type { Transition } from '../contract.ts';
import type { Formatters } from './format.ts';

const KIND_LABELS: Record<Transition['kind'], string> = {
  enter: 'Entered',
  advance: 'Advanced',
  fastpass: 'Fastpass',
  recycle: 'Recycled',
  return: 'Returned',
  reengage: 'Re-engaged',
  dead_end: 'Dead end',
  churn: 'Churned',
  win_back: 'Win-back',
  reopen: 'Reopened',
};

const KIND_VARIANTS: Partial<Record<Transition['kind'], 'warning' | 'success' | 'error' | 'info'>> = {
  fastpass: 'info',
  recycle: 'warning',
  dead_end: 'error',
  churn: 'error',
  reengage: 'success',
  win_back: 'success',
};

export function TransitionHistoryTable({ transitions, format, emptyText }: { transitions: Transition[]; format: Formatters; emptyText: string }) {
  if (transitions.length === 0) return <Text>{emptyText}</Text>;
  return (
    <Table bordered density="condensed" testId="transition-history">
      <TableHead>
        <TableRow>
          <TableHeader>When</TableHeader>
          <TableHeader>Move</TableHeader>
          <TableHeader>Kind</TableHeader>
          <TableHeader>Reason</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {transitions.map((transition) => (
          <TableRow key={`${transition.at}-${transition.to.id}`}>
            <TableCell>{format.dateTime(transition.at)}</TableCell>
            <TableCell>{`${transition.from?.label ?? 'Start'} → ${transition.to.label}`}</TableCell>
            <TableCell>
              <Tag variant={KIND_VARIANTS[transition.kind] ?? 'default'}>{KIND_LABELS[transition.kind]}</Tag>
            </TableCell>
            <TableCell>{transition.skipped.length > 0 ? `${transition.reason} (skipped ${transition.skipped.map((stage) => stage.label).join(', ')})` : transition.reason}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
