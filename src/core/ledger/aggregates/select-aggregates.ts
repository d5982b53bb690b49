import type { LedgerAggregates } from './ledger-aggregates';
import { intervals, type AggregateWindow, type FunnelAggregates } from './aggregate-report';
import { medianBuckets, type DurationBucketTotal } from './duration-buckets';

/**
 * What a report over `window` reads from aggregates held in memory, summed exactly as the store's queries sum its
 * tables (the same rows, grouped the same way: moves and stays per interval of the window under its first day,
 * durations per stage down to the median's buckets). Used where the aggregates were computed on the fly: a report
 * over a chosen set of records, a what-if replay, and the tests' oracle.
 */
export function selectFunnelAggregates(aggregates: LedgerAggregates, window: AggregateWindow): FunnelAggregates {
  const { firstDay, startDay, endDay } = window;
  const spans = window.cuts ? intervals(window) : null;
  const intervalOf = (day: number): number => (spans ? (spans.find((s) => day >= s.from && day < s.to)?.from ?? day) : day);
  const movesBefore = new Map<string, FunnelAggregates['movesBefore'][number]>();
  const dailyMoves = new Map<string, FunnelAggregates['dailyMoves'][number]>();
  for (const move of aggregates.moves.values()) {
    if (move.count === 0 || move.day >= endDay) continue;
    if (move.day < firstDay) {
      const key = JSON.stringify([move.fromStage, move.toStage, move.skipped]);
      const total = movesBefore.get(key) ?? { fromStage: move.fromStage, toStage: move.toStage, skipped: move.skipped, count: 0 };
      total.count += move.count;
      movesBefore.set(key, total);
    } else {
      const { objectType: _objectType, ...daily } = move;
      const day = intervalOf(move.day);
      const key = JSON.stringify([day, move.fromStage, move.toStage, move.kind, move.reasonCode, move.skipped]);
      const total = dailyMoves.get(key) ?? { ...daily, day, count: 0 };
      total.count += move.count;
      dailyMoves.set(key, total);
    }
  }
  const stays = new Map<string, FunnelAggregates['stays'][number]>();
  for (const s of aggregates.stays.values()) {
    if (s.count === 0 || s.enteredDay < firstDay || s.enteredDay >= endDay || s.exitedDay >= endDay) continue;
    const enteredDay = intervalOf(s.enteredDay);
    const key = JSON.stringify([enteredDay, s.stage, s.exitTo, s.exitSkip]);
    const total = stays.get(key) ?? { stage: s.stage, enteredDay, exitTo: s.exitTo, exitSkip: s.exitSkip, count: 0 };
    total.count += s.count;
    stays.set(key, total);
  }
  const buckets = new Map<string, Map<number, DurationBucketTotal>>();
  for (const d of aggregates.durations.values()) {
    if (d.count === 0 || d.exitedDay < startDay || d.exitedDay >= endDay) continue;
    const stage = buckets.get(d.stage) ?? new Map<number, DurationBucketTotal>();
    const total = stage.get(d.bucket) ?? { bucket: d.bucket, stays: 0, totalMs: 0 };
    total.stays += d.count;
    total.totalMs += d.totalMs;
    stage.set(d.bucket, total);
    buckets.set(d.stage, stage);
  }
  const durations = [...buckets].map(([stage, byBucket]) => ({ stage, ...medianBuckets([...byBucket.values()]) })).filter((d) => d.stays > 0);
  return {
    movesBefore: [...movesBefore.values()],
    dailyMoves: [...dailyMoves.values()].filter((m) => m.count !== 0),
    stays: [...stays.values()].filter((s) => s.count !== 0),
    durations,
  };
}
