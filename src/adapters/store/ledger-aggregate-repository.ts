import { sql, type Kysely } from 'kysely';
import type { LedgerAggregatePort, PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString, type ObjectType } from '../../core';
import { aggregateDelta, type AggregateWindow, type DailyMove, type FunnelAggregates, type LedgerAggregates, type LedgerRow } from '../../core/ledger';
import { inChunks, recordIn } from './record-keys';
import type { Database } from './schema';

export class LedgerAggregateRepository implements LedgerAggregatePort {
  constructor(private readonly db: Kysely<Database>) {}

  /** The sums one report reads (see FunnelAggregates): four grouped range scans over the aggregate tables. */
  async funnelAggregates(portalId: PortalId, objectType: ObjectType, window: AggregateWindow): Promise<FunnelAggregates> {
    const { firstDay, startDay, endDay } = window;
    const [movesBefore, dailyMoves, stays, durations] = await Promise.all([
      this.movesBefore(portalId, objectType, firstDay),
      this.dailyMoves(portalId, objectType, firstDay, endDay),
      this.db
        .selectFrom('ledger_stay_days')
        .select(['stage', 'entered_day', 'exit_to', 'exit_skip', (eb) => eb.fn.sum<number>('stays').as('stays')])
        .where('portal_id', '=', portalId)
        .where('object_type', '=', objectType)
        .where('entered_day', '>=', firstDay)
        .where('entered_day', '<', endDay)
        .where('exited_day', '<', endDay)
        .groupBy(['stage', 'entered_day', 'exit_to', 'exit_skip'])
        .execute(),
      this.db
        .selectFrom('ledger_stay_durations')
        .select(['stage', 'bucket', (eb) => eb.fn.sum<number>('stays').as('stays'), (eb) => eb.fn.sum<number>('total_ms').as('total_ms')])
        .where('portal_id', '=', portalId)
        .where('object_type', '=', objectType)
        .where('exited_day', '>=', startDay)
        .where('exited_day', '<', endDay)
        .groupBy(['stage', 'bucket'])
        .execute(),
    ]);
    return {
      movesBefore,
      dailyMoves,
      stays: stays.map((s) => ({ stage: s.stage, enteredDay: Number(s.entered_day), exitTo: s.exit_to, exitSkip: Number(s.exit_skip) === 1, count: Number(s.stays) })),
      durations: durations.map((d) => ({ stage: d.stage, bucket: Number(d.bucket), stays: Number(d.stays), totalMs: Number(d.total_ms) })),
    };
  }

  /** Moves before `firstDay` summed, and per day in [firstDay, endDay): what a stock series reads. */
  async stockAggregates(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number): Promise<Pick<FunnelAggregates, 'movesBefore' | 'dailyMoves'>> {
    const [movesBefore, dailyMoves] = await Promise.all([this.movesBefore(portalId, objectType, firstDay), this.dailyMoves(portalId, objectType, firstDay, endDay)]);
    return { movesBefore, dailyMoves };
  }

  private async movesBefore(portalId: PortalId, objectType: ObjectType, firstDay: number): Promise<FunnelAggregates['movesBefore']> {
    const rows = await this.db
      .selectFrom('ledger_move_days')
      .select(['from_stage', 'to_stage', 'skipped', (eb) => eb.fn.sum<number>('moves').as('moves')])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .where('day', '<', firstDay)
      .groupBy(['from_stage', 'to_stage', 'skipped'])
      .execute();
    return rows.map((r) => ({ fromStage: r.from_stage, toStage: r.to_stage, skipped: r.skipped, count: Number(r.moves) })).filter((r) => r.count !== 0);
  }

  private async dailyMoves(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number): Promise<DailyMove[]> {
    const rows = await this.db
      .selectFrom('ledger_move_days')
      .select(['day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped', 'moves'])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .where('day', '>=', firstDay)
      .where('day', '<', endDay)
      .where('moves', '<>', 0)
      .execute();
    return rows.map((r) => ({
      day: Number(r.day),
      fromStage: r.from_stage,
      toStage: r.to_stage,
      kind: r.kind as DailyMove['kind'],
      reasonCode: r.reason_code,
      skipped: r.skipped,
      count: Number(r.moves),
    }));
  }
}

/**
 * Runs `change` (which rewrites the ledger rows of `before`'s records) and moves the aggregates by the difference
 * of those records' contributions before and after: the one way every ledger writer keeps them exact. Must run in
 * the writer's transaction. Cost: two reads of the records' own histories.
 */
export async function maintainAggregatesAround(
  trx: Kysely<Database>,
  portalId: PortalId,
  records: { before: readonly RecordKey[]; after: readonly RecordKey[] },
  change: () => Promise<void>,
): Promise<void> {
  const before = await recordHistories(trx, portalId, records.before);
  await change();
  const after = await recordHistories(trx, portalId, records.after);
  await applyAggregateDelta(trx, portalId, aggregateDelta(before, after));
}

export type HistoryRow = LedgerRow & { transitionId: string };

/** Each record's ledger rows in the ledger's order (the order `LedgerRepository.history` returns). */
export async function recordHistories(db: Kysely<Database>, portalId: PortalId, keys: readonly RecordKey[]): Promise<HistoryRow[][]> {
  const byRecord = new Map<string, HistoryRow[]>();
  for (const key of keys) byRecord.set(recordKeyString(key), []);
  for (const part of inChunks([...new Map(keys.map((k) => [recordKeyString(k), k])).values()])) {
    const rows = await db
      .selectFrom('ledger')
      .select(['transition_id', 'object_type', 'object_id', 'to_stage', 'kind', 'skipped', 'reason_code', 'occurred_at'])
      .where('portal_id', '=', portalId)
      .where(recordIn(part))
      .orderBy('occurred_at')
      .orderBy('recorded_at')
      .orderBy('recorded_position')
      .orderBy('transition_id')
      .execute();
    for (const row of rows) byRecord.get(`${row.object_type}:${row.object_id}`)?.push({ ...toLedgerRow(row), transitionId: row.transition_id });
  }
  return [...byRecord.values()];
}

export function toLedgerRow(row: { object_type: string; object_id: string; to_stage: string; kind: string; skipped: string; reason_code: string | null; occurred_at: number }): LedgerRow {
  return {
    objectType: row.object_type as ObjectType,
    objectId: row.object_id,
    toStage: row.to_stage,
    kind: row.kind as LedgerRow['kind'],
    skipped: JSON.parse(row.skipped) as string[],
    reasonCode: row.reason_code,
    occurredAt: Number(row.occurred_at),
  };
}

/** Adds a delta to the aggregate tables: one upsert per changed key (`count = count + delta`). */
export async function applyAggregateDelta(db: Kysely<Database>, portalId: PortalId, delta: LedgerAggregates): Promise<void> {
  for (const part of inChunks([...delta.moves.values()], 200)) {
    await db
      .insertInto('ledger_move_days')
      .values(
        part.map((m) => ({
          portal_id: portalId,
          object_type: m.objectType,
          day: m.day,
          from_stage: m.fromStage,
          to_stage: m.toStage,
          kind: m.kind,
          reason_code: m.reasonCode,
          skipped: m.skipped,
          moves: m.count,
        })),
      )
      .onConflict((c) =>
        c.columns(['portal_id', 'object_type', 'day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped']).doUpdateSet({ moves: sql`ledger_move_days.moves + excluded.moves` }),
      )
      .execute();
  }
  for (const part of inChunks([...delta.stays.values()], 200)) {
    await db
      .insertInto('ledger_stay_days')
      .values(
        part.map((s) => ({
          portal_id: portalId,
          object_type: s.objectType,
          entered_day: s.enteredDay,
          stage: s.stage,
          exited_day: s.exitedDay,
          exit_to: s.exitTo,
          exit_skip: s.exitSkip ? 1 : 0,
          stays: s.count,
        })),
      )
      .onConflict((c) =>
        c.columns(['portal_id', 'object_type', 'entered_day', 'stage', 'exited_day', 'exit_to', 'exit_skip']).doUpdateSet({ stays: sql`ledger_stay_days.stays + excluded.stays` }),
      )
      .execute();
  }
  for (const part of inChunks([...delta.durations.values()], 200)) {
    await db
      .insertInto('ledger_stay_durations')
      .values(
        part.map((d) => ({
          portal_id: portalId,
          object_type: d.objectType,
          exited_day: d.exitedDay,
          stage: d.stage,
          bucket: d.bucket,
          stays: d.count,
          total_ms: d.totalMs,
        })),
      )
      .onConflict((c) =>
        c
          .columns(['portal_id', 'object_type', 'exited_day', 'stage', 'bucket'])
          .doUpdateSet({ stays: sql`ledger_stay_durations.stays + excluded.stays`, total_ms: sql`ledger_stay_durations.total_ms + excluded.total_ms` }),
      )
      .execute();
  }
}
