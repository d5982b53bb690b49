import { sql, type Kysely } from 'kysely';
import type { LedgerAggregatePort, PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString, type ObjectType } from '../../core';
import {
  aggregateDelta,
  blockStart,
  coverDays,
  ROLLUP_SPANS,
  type AggregateWindow,
  type DailyMove,
  type FunnelAggregates,
  type LedgerAggregates,
  type LedgerRow,
  type MoveTotal,
  type Span,
  type SpanSegment,
  type StayTotal,
} from '../../core/ledger';
import { inChunks, recordIn } from './record-keys';
import type { Database } from './schema';

/** Far enough past any ledger day (2^30 days ≈ 2.9 million years) and within a 32-bit integer: "every day from here on". */
const LAST_DAY = 2 ** 30;

export class LedgerAggregateRepository implements LedgerAggregatePort {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The sums one report reads (see FunnelAggregates), from a bounded number of rows whatever the period and the
   * history (migration 0011): the days of [startDay, blocksUntil) come summed in 16- and 256-day blocks; the
   * balances before the window are the all-time totals minus the moves since; the cohort is the stays that began in
   * the window minus those that ended after it.
   */
  async funnelAggregates(portalId: PortalId, objectType: ObjectType, window: AggregateWindow): Promise<FunnelAggregates> {
    const { firstDay, startDay, endDay } = window;
    const blocksUntil = Math.min(endDay, Math.max(startDay, window.blocksUntil ?? firstDay));
    const segments: SpanSegment[] = [
      ...(firstDay < startDay ? [{ span: 1 as const, from: firstDay, to: startDay }] : []),
      ...coverDays(startDay, blocksUntil),
      ...(blocksUntil < endDay ? [{ span: 1 as const, from: blocksUntil, to: endDay }] : []),
    ];
    const dailyMoves = await this.moves(portalId, objectType, segments);
    const movesBefore = await this.movesBefore(portalId, objectType, dailyMoves, endDay);
    const stays = await this.cohortStays(portalId, objectType, segments, firstDay, endDay);
    const durations = await this.durations(portalId, objectType, coverDays(startDay, endDay));
    return { movesBefore, dailyMoves, stays, durations };
  }

  /** Moves before `firstDay` summed, and per day in [firstDay, endDay): what a stock series reads. */
  async stockAggregates(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number): Promise<Pick<FunnelAggregates, 'movesBefore' | 'dailyMoves'>> {
    const dailyMoves = firstDay < endDay ? await this.moves(portalId, objectType, [{ span: 1, from: firstDay, to: endDay }]) : [];
    return { movesBefore: await this.movesBefore(portalId, objectType, dailyMoves, Math.max(firstDay, endDay)), dailyMoves };
  }

  /** Moves in each segment: day rows for span 1, block rows (under the block's first day) for the others. */
  private async moves(portalId: PortalId, objectType: ObjectType, segments: readonly SpanSegment[]): Promise<DailyMove[]> {
    const moves: DailyMove[] = [];
    for (const { span, from, to } of segments) {
      const rows =
        span === 1
          ? await this.db
              .selectFrom('ledger_move_days')
              .select(['day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped', 'moves'])
              .where('portal_id', '=', portalId)
              .where('object_type', '=', objectType)
              .where('day', '>=', from)
              .where('day', '<', to)
              .where('moves', '<>', 0)
              .execute()
          : await this.db
              .selectFrom('ledger_move_spans')
              .select(['day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped', 'moves'])
              .where('portal_id', '=', portalId)
              .where('object_type', '=', objectType)
              .where('span', '=', span)
              .where('day', '>=', from)
              .where('day', '<', to)
              .where('moves', '<>', 0)
              .execute();
      for (const r of rows) {
        moves.push({
          day: Number(r.day),
          fromStage: r.from_stage,
          toStage: r.to_stage,
          kind: r.kind as DailyMove['kind'],
          reasonCode: r.reason_code,
          skipped: r.skipped,
          count: Number(r.moves),
        });
      }
    }
    return moves;
  }

  /**
   * Moves before the window, summed: every move of all time (ledger_move_totals) minus the window's (`inWindow`,
   * already read) and those from `endDay` on (summed in blocks). No sum over the days since the first row.
   */
  private async movesBefore(portalId: PortalId, objectType: ObjectType, inWindow: readonly DailyMove[], endDay: number): Promise<FunnelAggregates['movesBefore']> {
    const totals = new Map<string, MoveTotal>();
    const add = (move: Omit<MoveTotal, 'count'>, count: number) => {
      const key = JSON.stringify([move.fromStage, move.toStage, move.skipped]);
      const total = totals.get(key) ?? { fromStage: move.fromStage, toStage: move.toStage, skipped: move.skipped, count: 0 };
      total.count += count;
      totals.set(key, total);
    };
    const allTime = await this.db
      .selectFrom('ledger_move_totals')
      .select(['from_stage', 'to_stage', 'skipped', 'moves'])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .execute();
    for (const r of allTime) add({ fromStage: r.from_stage, toStage: r.to_stage, skipped: r.skipped }, Number(r.moves));
    for (const move of inWindow) add(move, -move.count);
    for (const { span, from, to } of coverDays(endDay, LAST_DAY)) {
      const later =
        span === 1
          ? await this.db
              .selectFrom('ledger_move_days')
              .select(['from_stage', 'to_stage', 'skipped', (eb) => eb.fn.sum<number>('moves').as('moves')])
              .where('portal_id', '=', portalId)
              .where('object_type', '=', objectType)
              .where('day', '>=', from)
              .where('day', '<', to)
              .groupBy(['from_stage', 'to_stage', 'skipped'])
              .execute()
          : await this.db
              .selectFrom('ledger_move_spans')
              .select(['from_stage', 'to_stage', 'skipped', (eb) => eb.fn.sum<number>('moves').as('moves')])
              .where('portal_id', '=', portalId)
              .where('object_type', '=', objectType)
              .where('span', '=', span)
              .where('day', '>=', from)
              .where('day', '<', to)
              .groupBy(['from_stage', 'to_stage', 'skipped'])
              .execute();
      for (const r of later) add({ fromStage: r.from_stage, toStage: r.to_stage, skipped: r.skipped }, -Number(r.moves));
    }
    return [...totals.values()].filter((t) => t.count !== 0);
  }

  /**
   * Ended stays that began in the window and ended before its end: the stays that began in each segment (by day
   * or block, however they ended) minus those of them that ended on or after `endDay` (ledger_stay_days by exit
   * day: the stays still open at the period's end that have ended since).
   */
  private async cohortStays(portalId: PortalId, objectType: ObjectType, segments: readonly SpanSegment[], firstDay: number, endDay: number): Promise<StayTotal[]> {
    const stays = new Map<string, StayTotal>();
    const add = (stay: Omit<StayTotal, 'count'>, count: number) => {
      const key = JSON.stringify([stay.stage, stay.enteredDay, stay.exitTo, stay.exitSkip]);
      const total = stays.get(key) ?? { ...stay, count: 0 };
      total.count += count;
      stays.set(key, total);
    };
    for (const { span, from, to } of segments) {
      const rows = await this.db
        .selectFrom('ledger_stay_entries')
        .select(['stage', 'entered_day', 'exit_to', 'exit_skip', 'stays'])
        .where('portal_id', '=', portalId)
        .where('object_type', '=', objectType)
        .where('span', '=', span)
        .where('entered_day', '>=', from)
        .where('entered_day', '<', to)
        .where('stays', '<>', 0)
        .execute();
      for (const r of rows) add({ stage: r.stage, enteredDay: Number(r.entered_day), exitTo: r.exit_to, exitSkip: Number(r.exit_skip) === 1 }, Number(r.stays));
    }
    const endedLater = await this.db
      .selectFrom('ledger_stay_days')
      .select(['stage', 'entered_day', 'exit_to', 'exit_skip', (eb) => eb.fn.sum<number>('stays').as('stays')])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .where('exited_day', '>=', endDay)
      .where('entered_day', '>=', firstDay)
      .where('entered_day', '<', endDay)
      .groupBy(['stage', 'entered_day', 'exit_to', 'exit_skip'])
      .execute();
    for (const r of endedLater) {
      const day = Number(r.entered_day);
      const segment = segments.find((s) => day >= s.from && day < s.to);
      if (!segment) continue;
      add({ stage: r.stage, enteredDay: blockStart(day, segment.span), exitTo: r.exit_to, exitSkip: Number(r.exit_skip) === 1 }, -Number(r.stays));
    }
    return [...stays.values()].filter((s) => s.count !== 0);
  }

  /** Time-in-stage buckets of the stays that ended in the segments, summed per stage and bucket. */
  private async durations(portalId: PortalId, objectType: ObjectType, segments: readonly SpanSegment[]): Promise<FunnelAggregates['durations']> {
    const totals = new Map<string, FunnelAggregates['durations'][number]>();
    for (const { span, from, to } of segments) {
      const rows =
        span === 1
          ? await this.db
              .selectFrom('ledger_stay_durations')
              .select(['stage', 'bucket', (eb) => eb.fn.sum<number>('stays').as('stays'), (eb) => eb.fn.sum<number>('total_ms').as('total_ms')])
              .where('portal_id', '=', portalId)
              .where('object_type', '=', objectType)
              .where('exited_day', '>=', from)
              .where('exited_day', '<', to)
              .groupBy(['stage', 'bucket'])
              .execute()
          : await this.db
              .selectFrom('ledger_duration_spans')
              .select(['stage', 'bucket', (eb) => eb.fn.sum<number>('stays').as('stays'), (eb) => eb.fn.sum<number>('total_ms').as('total_ms')])
              .where('portal_id', '=', portalId)
              .where('object_type', '=', objectType)
              .where('span', '=', span)
              .where('exited_day', '>=', from)
              .where('exited_day', '<', to)
              .groupBy(['stage', 'bucket'])
              .execute();
      for (const r of rows) {
        const key = `${r.stage}\u0000${r.bucket}`;
        const total = totals.get(key) ?? { stage: r.stage, bucket: Number(r.bucket), stays: 0, totalMs: 0 };
        total.stays += Number(r.stays);
        total.totalMs += Number(r.total_ms);
        totals.set(key, total);
      }
    }
    return [...totals.values()].filter((d) => d.stays !== 0 || d.totalMs !== 0);
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
      // Record first: SQLite then reads ledger_record_time_idx for the listed records. Ordered by time alone it
      // scanned the portal's whole ledger through ledger_time_idx (EXPLAIN QUERY PLAN), on every commit.
      .orderBy('object_type')
      .orderBy('object_id')
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

/**
 * Adds a delta to the aggregate tables: one upsert per changed key (`count = count + delta`), and the same delta
 * to the rollups of migration 0011 unless `rollups` is false (migration 0008, which runs before they exist).
 */
export async function applyAggregateDelta(db: Kysely<Database>, portalId: PortalId, delta: LedgerAggregates, options: { rollups?: boolean } = {}): Promise<void> {
  if (options.rollups ?? true) await applyRollupDelta(db, portalId, delta);
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

/** Sums keyed by their identity, for the rollups of one delta. */
class Sums<T extends object> {
  readonly entries = new Map<string, { key: T; count: number; totalMs: number }>();
  add(key: T, count: number, totalMs = 0): void {
    const id = JSON.stringify(Object.values(key));
    const entry = this.entries.get(id) ?? { key, count: 0, totalMs: 0 };
    entry.count += count;
    entry.totalMs += totalMs;
    this.entries.set(id, entry);
  }
  changed(): Array<{ key: T; count: number; totalMs: number }> {
    return [...this.entries.values()].filter((e) => e.count !== 0 || e.totalMs !== 0);
  }
}

/** The delta's moves, stays and durations added to the all-time totals and the 16- and 256-day blocks. */
async function applyRollupDelta(db: Kysely<Database>, portalId: PortalId, delta: LedgerAggregates): Promise<void> {
  const totals = new Sums<{ object_type: string; from_stage: string; to_stage: string; skipped: string }>();
  const moveSpans = new Sums<{ object_type: string; span: number; day: number; from_stage: string; to_stage: string; kind: string; reason_code: string; skipped: string }>();
  for (const m of delta.moves.values()) {
    totals.add({ object_type: m.objectType, from_stage: m.fromStage, to_stage: m.toStage, skipped: m.skipped }, m.count);
    for (const span of ROLLUP_SPANS) {
      const key = {
        object_type: m.objectType,
        span,
        day: blockStart(m.day, span),
        from_stage: m.fromStage,
        to_stage: m.toStage,
        kind: m.kind,
        reason_code: m.reasonCode,
        skipped: m.skipped,
      };
      moveSpans.add(key, m.count);
    }
  }
  const entries = new Sums<{ object_type: string; span: number; entered_day: number; stage: string; exit_to: string; exit_skip: number }>();
  for (const s of delta.stays.values()) {
    for (const span of [1, ...ROLLUP_SPANS]) {
      entries.add({ object_type: s.objectType, span, entered_day: blockStart(s.enteredDay, span as Span), stage: s.stage, exit_to: s.exitTo, exit_skip: s.exitSkip ? 1 : 0 }, s.count);
    }
  }
  const durationSpans = new Sums<{ object_type: string; span: number; exited_day: number; stage: string; bucket: number }>();
  for (const d of delta.durations.values()) {
    for (const span of ROLLUP_SPANS) durationSpans.add({ object_type: d.objectType, span, exited_day: blockStart(d.exitedDay, span), stage: d.stage, bucket: d.bucket }, d.count, d.totalMs);
  }
  for (const part of inChunks(totals.changed(), 200)) {
    await db
      .insertInto('ledger_move_totals')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, moves: e.count })))
      .onConflict((c) => c.columns(['portal_id', 'object_type', 'from_stage', 'to_stage', 'skipped']).doUpdateSet({ moves: sql`ledger_move_totals.moves + excluded.moves` }))
      .execute();
  }
  for (const part of inChunks(moveSpans.changed(), 200)) {
    await db
      .insertInto('ledger_move_spans')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, moves: e.count })))
      .onConflict((c) =>
        c
          .columns(['portal_id', 'object_type', 'span', 'day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped'])
          .doUpdateSet({ moves: sql`ledger_move_spans.moves + excluded.moves` }),
      )
      .execute();
  }
  for (const part of inChunks(entries.changed(), 200)) {
    await db
      .insertInto('ledger_stay_entries')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, stays: e.count })))
      .onConflict((c) =>
        c.columns(['portal_id', 'object_type', 'span', 'entered_day', 'stage', 'exit_to', 'exit_skip']).doUpdateSet({ stays: sql`ledger_stay_entries.stays + excluded.stays` }),
      )
      .execute();
  }
  for (const part of inChunks(durationSpans.changed(), 200)) {
    await db
      .insertInto('ledger_duration_spans')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, stays: e.count, total_ms: e.totalMs })))
      .onConflict((c) =>
        c
          .columns(['portal_id', 'object_type', 'span', 'exited_day', 'stage', 'bucket'])
          .doUpdateSet({ stays: sql`ledger_duration_spans.stays + excluded.stays`, total_ms: sql`ledger_duration_spans.total_ms + excluded.total_ms` }),
      )
      .execute();
  }
}
