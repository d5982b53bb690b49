import type { LedgerAggregates } from './ledger-aggregates';
import type { AggregateWindow, FunnelAggregates } from './aggregate-report';
import { FunnelFold } from './funnel-fold';

/**
 * What a report over `window` reads from aggregates held in memory, summed exactly as the store's queries sum its
 * tables (the same rows, grouped the same way: moves and stays per interval of the window under its first day,
 * durations per stage down to the median's buckets). Used by the tests' oracle and wherever whole aggregates are held;
 * where only one window is wanted, a FunnelFold sums the rows straight into it.
 */
export function selectFunnelAggregates(aggregates: LedgerAggregates, window: AggregateWindow): FunnelAggregates {
  const fold = new FunnelFold(window);
  for (const m of aggregates.moves.values()) if (m.count !== 0) fold.addMove(m.day, m.fromStage, m.toStage, m.kind, m.reasonCode, m.skipped, m.count);
  for (const s of aggregates.stays.values()) if (s.count !== 0) fold.addStay(s.stage, s.enteredDay, s.exitedDay, s.exitTo, s.exitSkip, s.count);
  for (const d of aggregates.durations.values()) if (d.count !== 0) fold.addDuration(d.stage, d.exitedDay, d.bucket, d.count, d.totalMs);
  return fold.funnel();
}
