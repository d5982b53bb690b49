import type { LedgerRow } from './ledger-row';
import type { StageTable } from './stage-table';

/**
 * What leaving a stage meant. `converted` is progress toward revenue: from a path stage, onto a LATER path stage
 * (an advance or a Fastpass); from a recycle stage, back onto the path (pause ended, re-engaged, or a Fastpass).
 */
export type ExitOutcome = 'converted' | 'recycled' | 'dead_end' | 'churned' | 'other';

export const EXIT_OUTCOMES: readonly ExitOutcome[] = ['converted', 'recycled', 'dead_end', 'churned', 'other'];

export function exitOutcome(stages: StageTable, from: number, to: number): ExitOutcome {
  const fromKind = stages.refs[from]?.kind;
  const toKind = stages.refs[to]?.kind;
  if (toKind === 'recycle') return 'recycled';
  if (toKind === 'dead_end') return 'dead_end';
  if (toKind === 'churned') return 'churned';
  if (toKind !== 'path') return 'other';
  if (fromKind === 'recycle') return 'converted';
  if (fromKind === 'path' && (stages.pathRank[to] ?? -1) > (stages.pathRank[from] ?? -1)) return 'converted';
  return 'other';
}

/** A move that bypassed path stages: it converts its origin but is no pass through the stages it skipped. */
export function isSkip(row: Pick<LedgerRow, 'kind' | 'skipped'>): boolean {
  return row.kind === 'fastpass' || row.skipped.length > 0;
}
