import type { LedgerReplay } from './ledger-replay';

/** Marketo's SLA Due / SLA Past Due: records in a stage with an SLA, within it or beyond it. */
export interface SlaCounts {
  slaDays: number;
  /** In the stage for at most `slaDays` (exactly `slaDays` is still due, not late). */
  due: number;
  pastDue: number;
}

/** SLA counts per stage index for the records where the replay stands, aged at `at`; null for stages without SLA. */
export function slaCountsAt(replay: LedgerReplay, at: number): Array<SlaCounts | null> {
  const { slaDays, slaMs } = replay.stages;
  const counts = slaDays.map((days) => (days === null ? null : { slaDays: days, due: 0, pastDue: 0 }));
  for (let record = 0; record < replay.recordCount; record++) {
    const stage = replay.recordStage[record] ?? -1;
    const counted = counts[stage];
    const limit = slaMs[stage];
    if (!counted || limit == null) continue;
    const age = at - (replay.recordSince[record] ?? at);
    if (age > limit) counted.pastDue++;
    else counted.due++;
  }
  return counts;
}
