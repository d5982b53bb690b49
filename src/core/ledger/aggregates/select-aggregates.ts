import type { LedgerAggregates } from './ledger-aggregates';
import type { AggregateWindow, FunnelAggregates } from './aggregate-report';

/**
 * What a report over `window` reads from aggregates held in memory, summed exactly as the store's queries sum its
 * tables (the same rows, grouped the same way). Used where the aggregates were computed on the fly: a report over a
 * chosen set of records, and the tests' oracle.
 */
export function selectFunnelAggregates(aggregates: LedgerAggregates, window: AggregateWindow): FunnelAggregates {
  const { firstDay, startDay, endDay } = window;
  const movesBefore = new Map<string, FunnelAggregates['movesBefore'][number]>();
  const dailyMoves: Array<FunnelAggregates['dailyMoves'][number]> = [];
  for (const move of aggregates.moves.values()) {
    if (move.count === 0 || move.day >= endDay) continue;
    if (move.day < firstDay) {
      const key = JSON.stringify([move.fromStage, move.toStage, move.skipped]);
      const total = movesBefore.get(key) ?? { fromStage: move.fromStage, toStage: move.toStage, skipped: move.skipped, count: 0 };
      total.count += move.count;
      movesBefore.set(key, total);
    } else {
      const { objectType: _objectType, ...daily } = move;
      dailyMoves.push(daily);
    }
  }
  const stays = [...aggregates.stays.values()]
    .filter((s) => s.count !== 0 && s.enteredDay >= firstDay && s.enteredDay < endDay && s.exitedDay < endDay)
    .map(({ stage, enteredDay, exitTo, exitSkip, count }) => ({ stage, enteredDay, exitTo, exitSkip, count }));
  const durations = new Map<string, FunnelAggregates['durations'][number]>();
  for (const d of aggregates.durations.values()) {
    if (d.count === 0 || d.exitedDay < startDay || d.exitedDay >= endDay) continue;
    const key = JSON.stringify([d.stage, d.bucket]);
    const total = durations.get(key) ?? { stage: d.stage, bucket: d.bucket, stays: 0, totalMs: 0 };
    total.stays += d.count;
    total.totalMs += d.totalMs;
    durations.set(key, total);
  }
  return { movesBefore: [...movesBefore.values()], dailyMoves, stays, durations: [...durations.values()] };
}
