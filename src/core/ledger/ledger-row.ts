import type { LedgerEntry } from '../engine/decision';

/**
 * The part of a ledger entry the reports read. A store can hand over slim rows (a projection) instead of full
 * entries, which matters at a million rows; a full `LedgerEntry` is a `LedgerRow`.
 */
export type LedgerRow = Pick<LedgerEntry, 'objectType' | 'objectId' | 'toStage' | 'kind' | 'skipped' | 'reasonCode' | 'occurredAt'>;

/**
 * Row indices in the order the moves happened: by `occurredAt`, ties in the given order. The ledger is appended
 * in the order one record's moves happened, so this keeps a record's same-instant moves (an entry and an
 * immediate Fastpass) in sequence; how rows of different records interleave never changes a report.
 */
export function chronologicalOrder(rows: readonly LedgerRow[]): number[] {
  const times = new Float64Array(rows.length);
  const order = new Array<number>(rows.length);
  rows.forEach((row, i) => {
    times[i] = row.occurredAt;
    order[i] = i;
  });
  return order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
}
