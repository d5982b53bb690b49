import type { CompiledModel } from '../model/model-types';
import { LedgerReplay } from './ledger-replay';
import type { LedgerRow } from './ledger-row';
import { slot } from './list-access';
import { PeriodTally, type PeriodCounts } from './period-tally';
import { ReportPeriodSchema, type ReportPeriod } from './report-query';
import type { ChurnReport, FunnelReport, RecycleDetourReport, StageCvr, StageReport } from './report-types';
import { slaCountsAt, type SlaCounts } from './sla';
import type { StageTable } from './stage-table';
import { ratio, sortedCounts, summariseDurations, type DurationSummary } from './statistics';

/**
 * Flow, stock, CVR, velocity, SLA, detours and churn per stage for the period [start, end), in one sweep.
 *
 * Pass the ledger from its beginning (balances need the history before the period; rows after `end` are ignored),
 * in any order: rows are sorted by time, and one record's rows at the same instant keep their given order.
 * Balances are taken on the open side of each boundary — `beginning` before the moves at `start`, `ending` after
 * every move before `end` — so beginning + flowIn − flowOut = ending holds for every stage.
 *
 * @throws ZodError when the period is invalid (start after end).
 */
export function funnelReport(rows: readonly LedgerRow[], model: CompiledModel, period: ReportPeriod): FunnelReport {
  const { start, end } = ReportPeriodSchema.parse(period);
  const replay = new LedgerReplay(rows, model);
  replay.advance(start, false);
  const beginning = [...replay.stock];
  const recordsAtStart = replay.recordCount;

  const tally = new PeriodTally(replay.stages, start);
  replay.advance(end, false, (move) => tally.add(move));
  const sla = slaCountsAt(replay, end);

  return assembleFunnelReport(model, {
    period: { start, end },
    stages: replay.stages,
    beginning,
    ending: replay.stock,
    records: { beginning: recordsAtStart, ending: replay.recordCount },
    counts: tally,
    velocity: tally.endedStayDays.map(summariseDurations),
    sla,
  });
}

/** Everything a funnel report is made of, per stage index of `stages`, however it was counted. */
export interface FunnelReportParts {
  period: ReportPeriod;
  stages: StageTable;
  beginning: readonly number[];
  ending: readonly number[];
  records: { beginning: number; ending: number };
  counts: PeriodCounts;
  velocity: readonly DurationSummary[];
  sla: ReadonlyArray<SlaCounts | null>;
}

/** Lays the counted parts out as the report: shared by the ledger sweep and the aggregate reader, so both agree. */
export function assembleFunnelReport(model: CompiledModel, parts: FunnelReportParts): FunnelReport {
  const { counts } = parts;
  const { refs, pathRank } = parts.stages;
  const lastPathRank = Math.max(-1, ...pathRank);
  const stages = refs.map((ref, i): StageReport => ({
    ...ref,
    beginning: slot(parts.beginning, i),
    flowIn: slot(counts.flowIn, i),
    flowOut: slot(counts.flowOut, i),
    ending: slot(parts.ending, i),
    skippedThrough: slot(counts.skippedThrough, i),
    cvr: ref.kind === 'path' && slot(pathRank, i) < lastPathRank ? stageCvr(counts, i) : null,
    velocity: slot(parts.velocity, i),
    sla: slot(parts.sla, i),
  }));

  return {
    period: parts.period,
    records: parts.records,
    stages,
    detours: refs.flatMap((ref, i) => (ref.kind === 'recycle' ? [recycleDetour(counts, i, ref)] : [])),
    deadEndsByReason: deadEndsByReason(counts, refs),
    churn: churnReport(counts.churned, stages, model),
  };
}

function stageCvr(tally: PeriodCounts, i: number): StageCvr {
  const entered = slot(tally.flowIn, i);
  const exits = slot(tally.cohortExits, i);
  const left = exits.converted + exits.recycled + exits.dead_end + exits.churned + exits.other;
  return {
    entered,
    converted: exits.converted,
    fastpassed: slot(tally.cohortFastpassed, i),
    rate: ratio(exits.converted, entered),
    dropOuts: { recycled: exits.recycled, deadEnd: exits.dead_end, churned: exits.churned },
    otherExits: exits.other,
    stillInStage: entered - left,
  };
}

function recycleDetour(tally: PeriodCounts, i: number, ref: { stageId: string; label: string }): RecycleDetourReport {
  const entered = slot(tally.flowIn, i);
  const returned = slot(tally.cohortExits, i).converted;
  return {
    stageId: ref.stageId,
    label: ref.label,
    entered,
    enteredByReason: sortedCounts(slot(tally.entriesByReason, i)),
    returned: slot(tally.exits, i).converted,
    reengaged: slot(tally.reengaged, i),
    returnCvr: { entered, returned, rate: ratio(returned, entered) },
  };
}

function deadEndsByReason(tally: PeriodCounts, refs: ReadonlyArray<{ kind: string }>): Record<string, number> {
  const merged = new Map<string, number>();
  refs.forEach((ref, i) => {
    if (ref.kind !== 'dead_end') return;
    for (const [reason, count] of slot(tally.entriesByReason, i)) merged.set(reason, (merged.get(reason) ?? 0) + count);
  });
  return sortedCounts(merged);
}

function churnReport(churned: number, stages: readonly StageReport[], model: CompiledModel): ChurnReport {
  const customersAtStart = stages.reduce((sum, s) => (model.customerStages.has(s.stageId) ? sum + s.beginning : sum), 0);
  const firstCustomerStage = model.pathStages.find((s) => model.customerStages.has(s.id));
  const customersGained = stages.find((s) => s.stageId === firstCustomerStage?.id)?.flowIn ?? 0;
  if (customersAtStart > 0) return { churned, customersAtStart, customersGained, base: 'customers_at_start', rate: ratio(churned, customersAtStart) };
  if (customersGained > 0) return { churned, customersAtStart, customersGained, base: 'customers_gained', rate: ratio(churned, customersGained) };
  return { churned, customersAtStart, customersGained, base: null, rate: null };
}
