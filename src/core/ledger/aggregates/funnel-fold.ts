import { isSkip } from '../exit-outcome';
import type { LedgerRow } from '../ledger-row';
import { dayOf, NO_REASON_CODE, OUTSIDE } from './aggregate-keys';
import { intervals, type AggregateWindow, type DailyMove, type FunnelAggregates, type MoveTotal, type StayTotal } from './aggregate-report';
import { durationBucket, medianBuckets, type DurationBucketTotal } from './duration-buckets';
import { walkRecord } from './ledger-aggregates';

/** A stage's duration bucket summed over the window's exits (a fold's counts carry these, not the median). */
export type StageBucketTotal = DurationBucketTotal & { stage: string };

/** A fold's sums as plain data (structured-cloneable: a fold on another thread hands these over). */
export interface FunnelFoldCounts {
  movesBefore: MoveTotal[];
  dailyMoves: DailyMove[];
  stays: StayTotal[];
  buckets: StageBucketTotal[];
}

/**
 * What one report window needs of a ledger, summed as the rows come: moves before the window, moves and entered stays
 * per interval of the window, and each stage's duration buckets over the window's exits. Memory is stages × the
 * window's intervals, whatever the history's length (a LedgerAggregates keeps every day, and every pair of entry and
 * exit days, of the whole history). `funnel()` is exactly what selectFunnelAggregates reads from the aggregates of the
 * same rows, in the same order, so a fold can stand for them where only one window is wanted: a what-if replay, a
 * report over chosen records.
 *
 * Mutable on purpose; owned by one computation. Sums only: a fold does not take records back out.
 */
export class FunnelFold {
  private readonly movesBefore = new Map<string, MoveTotal>();
  private readonly dailyMoves = new Map<string, DailyMove>();
  private readonly stays = new Map<string, StayTotal>();
  private readonly buckets = new Map<string, Map<number, DurationBucketTotal>>();
  /** The first day of the interval holding `firstDay + i` (null: every day is its own interval). */
  private readonly intervalStarts: Int32Array | null;

  constructor(readonly window: AggregateWindow) {
    this.intervalStarts = window.cuts ? intervalStartsOf(window) : null;
  }

  /** Adds one record's rows (in ledger order; taken in the order the moves happened, as the aggregates take them). */
  addRecord(rows: readonly LedgerRow[]): this {
    walkRecord(rows, (row, previous) => {
      const day = dayOf(row.occurredAt);
      this.addMove(day, previous ? previous.toStage : OUTSIDE, row.toStage, row.kind, row.reasonCode ?? NO_REASON_CODE, JSON.stringify(row.skipped), 1);
      if (!previous) return;
      const durationMs = row.occurredAt - previous.occurredAt;
      this.addStay(previous.toStage, dayOf(previous.occurredAt), day, row.toStage, isSkip(row), 1);
      this.addDuration(previous.toStage, day, durationBucket(durationMs), 1, durationMs);
    });
    return this;
  }

  /** Adds `count` moves of one day (a MoveKey's fields, `skipped` as JSON). */
  addMove(day: number, fromStage: string, toStage: string, kind: DailyMove['kind'], reasonCode: string, skipped: string, count: number): void {
    const { firstDay, endDay } = this.window;
    if (day >= endDay) return;
    if (day < firstDay) {
      addTo(this.movesBefore, JSON.stringify([fromStage, toStage, skipped]), { fromStage, toStage, skipped, count: 0 }, count);
      return;
    }
    const interval = this.intervalOf(day);
    addTo(this.dailyMoves, JSON.stringify([interval, fromStage, toStage, kind, reasonCode, skipped]), { day: interval, fromStage, toStage, kind, reasonCode, skipped, count: 0 }, count);
  }

  /** Adds `count` ended stays (a StayKey's fields): counted when entered inside the window and ended before its end. */
  addStay(stage: string, enteredDay: number, exitedDay: number, exitTo: string, exitSkip: boolean, count: number): void {
    const { firstDay, endDay } = this.window;
    if (enteredDay < firstDay || enteredDay >= endDay || exitedDay >= endDay) return;
    const interval = this.intervalOf(enteredDay);
    addTo(this.stays, JSON.stringify([interval, stage, exitTo, exitSkip]), { stage, enteredDay: interval, exitTo, exitSkip, count: 0 }, count);
  }

  /** Adds `count` stays of `stage` that ended on `exitedDay` in duration bucket `bucket`, lasting `totalMs` in all. */
  addDuration(stage: string, exitedDay: number, bucket: number, count: number, totalMs: number): void {
    if (exitedDay < this.window.startDay || exitedDay >= this.window.endDay) return;
    addBucket(this.buckets, stage, bucket, count, totalMs);
  }

  /** Adds another fold's sums (the same window), in their order: folds of consecutive parts add up to the fold of all. */
  addCounts(counts: FunnelFoldCounts): this {
    for (const m of counts.movesBefore) addTo(this.movesBefore, JSON.stringify([m.fromStage, m.toStage, m.skipped]), m, m.count);
    for (const m of counts.dailyMoves) addTo(this.dailyMoves, JSON.stringify([m.day, m.fromStage, m.toStage, m.kind, m.reasonCode, m.skipped]), m, m.count);
    for (const s of counts.stays) addTo(this.stays, JSON.stringify([s.enteredDay, s.stage, s.exitTo, s.exitSkip]), s, s.count);
    for (const b of counts.buckets) addBucket(this.buckets, b.stage, b.bucket, b.stays, b.totalMs);
    return this;
  }

  counts(): FunnelFoldCounts {
    return {
      movesBefore: [...this.movesBefore.values()],
      dailyMoves: [...this.dailyMoves.values()],
      stays: [...this.stays.values()],
      buckets: [...this.buckets].flatMap(([stage, byBucket]) => [...byBucket.values()].map((b) => ({ stage, ...b }))),
    };
  }

  /** The window's funnel aggregates (the fold's own entries: read them, do not keep adding after). */
  funnel(): FunnelAggregates {
    return {
      movesBefore: [...this.movesBefore.values()],
      dailyMoves: [...this.dailyMoves.values()].filter((m) => m.count !== 0),
      stays: [...this.stays.values()].filter((s) => s.count !== 0),
      durations: [...this.buckets].map(([stage, byBucket]) => ({ stage, ...medianBuckets([...byBucket.values()]) })).filter((d) => d.stays > 0),
    };
  }

  private intervalOf(day: number): number {
    return this.intervalStarts ? (this.intervalStarts[day - this.window.firstDay] as number) : day;
  }
}

function intervalStartsOf(window: AggregateWindow): Int32Array {
  const starts = new Int32Array(Math.max(0, window.endDay - window.firstDay));
  for (const { from, to } of intervals(window)) starts.fill(from, from - window.firstDay, to - window.firstDay);
  return starts;
}

/** Adds `count` to the entry under `key`, creating it from `entry`'s fields at 0. */
function addTo<T extends { count: number }>(map: Map<string, T>, key: string, entry: T, count: number): void {
  let total = map.get(key);
  if (!total) {
    total = { ...entry, count: 0 };
    map.set(key, total);
  }
  total.count += count;
}

function addBucket(buckets: Map<string, Map<number, DurationBucketTotal>>, stage: string, bucket: number, stays: number, totalMs: number): void {
  let byBucket = buckets.get(stage);
  if (!byBucket) {
    byBucket = new Map();
    buckets.set(stage, byBucket);
  }
  let total = byBucket.get(bucket);
  if (!total) {
    total = { bucket, stays: 0, totalMs: 0 };
    byBucket.set(bucket, total);
  }
  total.stays += stays;
  total.totalMs += totalMs;
}
