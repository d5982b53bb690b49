import { isSkip } from '../exit-outcome';
import { recordKeyString } from '../../engine/record-key';
import { chronologicalOrder, type LedgerRow } from '../ledger-row';
import { dayOf, NO_REASON_CODE, OUTSIDE, type Counted, type CountedDuration, type DurationKey, type MoveKey, type StayKey } from './aggregate-keys';
import { durationBucket } from './duration-buckets';

/**
 * The read-side aggregates of a ledger: counts per move, ended stay and duration bucket, keyed by UTC day. Each
 * record contributes one move per row and one ended stay per pair of consecutive rows, so a change to one record's
 * history (a late row, a merge, a deletion) changes only that record's contribution: the difference between its
 * contribution before and after the change (`aggregateDelta`) keeps the aggregates exact.
 *
 * Mutable on purpose; owned by one computation (a rebuild, a test oracle, an owner-filtered report).
 */
export class LedgerAggregates {
  readonly moves = new Map<string, Counted<MoveKey>>();
  readonly stays = new Map<string, Counted<StayKey>>();
  readonly durations = new Map<string, CountedDuration>();

  /** Adds (sign 1) or removes (sign −1) the contribution of one record's rows, given in ledger order. */
  addRecord(rows: readonly LedgerRow[], sign: 1 | -1 = 1): this {
    const ordered = chronologicalOrder(rows).map((i) => rows[i] as LedgerRow);
    let previous: LedgerRow | undefined;
    for (const row of ordered) {
      bump(this.moves, moveKey(row, previous), sign);
      if (previous) {
        const stay = stayKey(previous, row);
        bump(this.stays, stay, sign);
        const durationMs = row.occurredAt - previous.occurredAt;
        const duration: DurationKey = { objectType: row.objectType, stage: stay.stage, exitedDay: stay.exitedDay, bucket: durationBucket(durationMs) };
        const entry = bump(this.durations, { ...duration, totalMs: 0 }, sign);
        entry.totalMs += sign * durationMs;
      }
      previous = row;
    }
    return this;
  }

  /** Adds another set's counts (sign 1) or takes them away (sign −1). */
  addAll(other: LedgerAggregates, sign: 1 | -1 = 1): this {
    for (const move of other.moves.values()) bump(this.moves, move, sign * move.count);
    for (const stay of other.stays.values()) bump(this.stays, stay, sign * stay.count);
    for (const d of other.durations.values()) bump(this.durations, { ...d, totalMs: 0 }, sign * d.count).totalMs += sign * d.totalMs;
    return this;
  }

  /** Drops keys whose counts cancelled out, so a delta names only what changed. */
  withoutZeros(): this {
    for (const map of [this.moves, this.stays, this.durations] as Array<Map<string, { count: number; totalMs?: number }>>) {
      for (const [key, value] of map) if (value.count === 0 && (value.totalMs ?? 0) === 0) map.delete(key);
    }
    return this;
  }
}

/** The aggregates of a whole ledger (rows of any records, in ledger order). */
export function ledgerAggregates(rows: readonly LedgerRow[]): LedgerAggregates {
  const byRecord = new Map<string, LedgerRow[]>();
  for (const row of rows) {
    const key = recordKeyString(row);
    const list = byRecord.get(key);
    if (list) list.push(row);
    else byRecord.set(key, [row]);
  }
  const aggregates = new LedgerAggregates();
  for (const history of byRecord.values()) aggregates.addRecord(history);
  return aggregates;
}

/**
 * What the aggregates must change by when records' histories go from `before` to `after` (each: every row of the
 * records concerned, in ledger order). A row appended at the end adds one move and one stay; a late row also
 * retracts the stay it splits; a merge moves stays from the losers to the winner; a deletion retracts everything.
 */
export function aggregateDelta(before: ReadonlyArray<readonly LedgerRow[]>, after: ReadonlyArray<readonly LedgerRow[]>): LedgerAggregates {
  const delta = new LedgerAggregates();
  for (const history of before) delta.addRecord(history, -1);
  for (const history of after) delta.addRecord(history, 1);
  return delta.withoutZeros();
}

function moveKey(row: LedgerRow, previous: LedgerRow | undefined): MoveKey {
  return {
    objectType: row.objectType,
    day: dayOf(row.occurredAt),
    fromStage: previous ? previous.toStage : OUTSIDE,
    toStage: row.toStage,
    kind: row.kind,
    reasonCode: row.reasonCode ?? NO_REASON_CODE,
    skipped: JSON.stringify(row.skipped),
  };
}

function stayKey(entered: LedgerRow, exit: LedgerRow): StayKey {
  return {
    objectType: exit.objectType,
    stage: entered.toStage,
    enteredDay: dayOf(entered.occurredAt),
    exitedDay: dayOf(exit.occurredAt),
    exitTo: exit.toStage,
    exitSkip: isSkip(exit),
  };
}

/** Adds `by` to the count under the key's identity (its fields other than the counters), creating it at 0. */
function bump<K extends object>(map: Map<string, K & { count: number }>, key: K, by: number): K & { count: number } {
  const identity = identityOf(key);
  let entry = map.get(identity);
  if (!entry) {
    entry = { ...key, count: 0 };
    map.set(identity, entry);
  }
  entry.count += by;
  return entry;
}

/** A key's fields other than the counters, by name, so the same key built in any field order is one identity. */
function identityOf(key: object): string {
  const fields = Object.entries(key).filter(([name]) => name !== 'count' && name !== 'totalMs');
  return JSON.stringify(fields.sort(([a], [b]) => (a < b ? -1 : 1)));
}
