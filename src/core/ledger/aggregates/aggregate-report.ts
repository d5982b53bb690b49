import { z } from 'zod';
import { DAY_MS } from '../../engine/time';
import type { CompiledModel } from '../../model/model-types';
import { exitOutcome } from '../exit-outcome';
import { assembleFunnelReport } from '../funnel-report';
import { slot } from '../list-access';
import { NO_REASON, noOutcomes, type OutcomeCounts, type PeriodCounts } from '../period-tally';
import { InstantSchema, ReportPeriodSchema, type ReportPeriod } from '../report-query';
import type { FunnelReport } from '../report-types';
import type { SlaCounts } from '../sla';
import { stageTableFor, type StageTable } from '../stage-table';
import type { StockSeries } from '../stock';
import { NO_REASON_CODE, OUTSIDE, type MoveKey } from './aggregate-keys';
import { summariseMedianBuckets, type MedianBuckets } from './duration-buckets';

/** Aggregates answer whole UTC days: a period from one midnight to another. */
export const WholeDayPeriodSchema = ReportPeriodSchema.refine((p) => p.start % DAY_MS === 0 && p.end % DAY_MS === 0, {
  message: 'a period read from aggregates starts and ends at UTC midnight',
});

/** Moves summed over days before the window: enough for balances and for the stages the ledger names. */
export type MoveTotal = Pick<MoveKey, 'fromStage' | 'toStage' | 'skipped'> & { count: number };
/** Moves per day inside the window, or per interval between the window's cuts (under the interval's first day). */
export type DailyMove = Omit<MoveKey, 'objectType'> & { count: number };
/** Ended stays that began inside the window and ended before its end, by entry day or interval (as moves). */
export interface StayTotal {
  stage: string;
  enteredDay: number;
  exitTo: string;
  exitSkip: boolean;
  count: number;
}
/** A stage's time in stage over the stays that ended in the period: totals and the median's buckets. */
export type StageDurations = MedianBuckets & { stage: string };

/**
 * The aggregate rows one report needs, summed by the store over the object type: `movesBefore` over the days before
 * `firstDay`; `dailyMoves` and `stays` (entered) over [firstDay, endDay), per interval of the window (see
 * `intervals`); `durations` per stage over exits in [startDay, endDay).
 */
export interface FunnelAggregates {
  movesBefore: readonly MoveTotal[];
  dailyMoves: readonly DailyMove[];
  stays: readonly StayTotal[];
  durations: readonly StageDurations[];
}

export interface AggregateWindow {
  /** The first day read day by day: the period's start, or earlier when an SLA looks further back from its end. */
  firstDay: number;
  startDay: number;
  endDay: number;
  /**
   * The days where a report's figures change what they count, besides `firstDay` and `endDay`: the period's start
   * and each SLA's first due day. Between two consecutive cuts the store may sum the moves and stays into one row
   * under the interval's first day, so a period costs stages × cuts rows whatever its length. Absent: every day is
   * a cut (a stock series reads day by day).
   */
  cuts?: readonly number[];
}

/** The intervals [from, to) a window's moves and stays are summed over: its days one by one when it has no cuts. */
export function intervals(window: AggregateWindow): Array<{ from: number; to: number }> {
  const { firstDay, endDay, cuts } = window;
  if (firstDay >= endDay) return [];
  if (!cuts) return Array.from({ length: endDay - firstDay }, (_, i) => ({ from: firstDay + i, to: firstDay + i + 1 }));
  const bounds = [...new Set([firstDay, ...cuts.filter((d) => d > firstDay && d < endDay), endDay])].sort((a, b) => a - b);
  return bounds.slice(1).map((to, i) => ({ from: slot(bounds, i), to }));
}

/**
 * The days a report over `period` reads day by day.
 *
 * @throws ZodError when the period is not whole UTC days.
 */
export function aggregateWindow(model: CompiledModel, period: ReportPeriod): AggregateWindow {
  const { start, end } = WholeDayPeriodSchema.parse(period);
  const startDay = start / DAY_MS;
  const endDay = end / DAY_MS;
  const slaDays = model.stages.map((s) => Math.ceil(s.slaDays ?? 0));
  const longestSla = Math.max(0, ...slaDays);
  return { firstDay: Math.min(startDay, endDay - longestSla), startDay, endDay, cuts: [startDay, ...slaDays.map((days) => endDay - days)] };
}

/**
 * The funnel report of `funnelReport` computed from aggregates: its cost grows with stages × days, not with the
 * ledger. Equal to the ledger sweep over the same rows for every whole-day period, except two documented
 * precisions: a median time in stage is within DURATION_RELATIVE_PRECISION (1 %), and an SLA of a fractional
 * number of days counts a stay as due or past due by whole days (its SLA rounded up).
 *
 * @throws ZodError when the period is not whole UTC days.
 */
export function funnelReportFromAggregates(aggregates: FunnelAggregates, model: CompiledModel, period: ReportPeriod): FunnelReport {
  const window = aggregateWindow(model, period);
  const stages = stageTableFor(model, namedStages([...aggregates.movesBefore, ...aggregates.dailyMoves]));
  const balances = new Balances(stages);
  for (const move of aggregates.movesBefore) balances.apply(move);
  for (const move of aggregates.dailyMoves) if (move.day < window.startDay) balances.apply(move);
  const beginning = [...balances.stock];
  const recordsAtStart = balances.records;

  const counts = new AggregateCounts(stages);
  for (const move of aggregates.dailyMoves) {
    if (move.day < window.startDay || move.day >= window.endDay) continue;
    balances.apply(move);
    counts.addMove(move);
  }
  for (const stay of aggregates.stays) if (stay.enteredDay >= window.startDay && stay.enteredDay < window.endDay) counts.addCohortExit(stay);

  const velocity = stages.refs.map((ref) => summariseMedianBuckets(aggregates.durations.find((d) => d.stage === ref.stageId) ?? { stays: 0, totalMs: 0, around: [] }));
  return assembleFunnelReport(model, {
    period: { start: period.start, end: period.end },
    stages,
    beginning,
    ending: balances.stock,
    records: { beginning: recordsAtStart, ending: balances.records },
    counts,
    velocity,
    sla: slaFromAggregates(stages, aggregates, balances.stock, window.endDay),
  });
}

/**
 * A stage's net change in stock on one day: moves into it minus moves out of it. Under OUTSIDE: minus the records
 * that entered the lifecycle that day (a first move takes one from outside), so records = −(OUTSIDE's balance).
 */
export interface StockDelta {
  day: number;
  stage: string;
  count: number;
}

/**
 * What a stock series over the days [firstDay, endDay) reads: every move dated before `endDay` summed by (from, to,
 * skipped), which gives the balances at `endDay` and the stages the ledger names up to then (listed in the stage
 * table like the ledger sweep lists them), and each day's net change per stage over the window, which walks the
 * balances back to `firstDay` and forward again day by day. Stages × days rows, whatever the moves; no read of the
 * window's moves themselves.
 */
export interface StockAggregates {
  movesBefore: readonly MoveTotal[];
  dailyDeltas: readonly StockDelta[];
}

/** The stock aggregates of daily moves (held in memory: a report over chosen records, the tests' oracle). */
export function stockAggregatesOf(aggregates: Pick<FunnelAggregates, 'movesBefore' | 'dailyMoves'>): StockAggregates {
  const deltas = new Map<string, StockDelta>();
  const add = (day: number, stage: string, count: number) => {
    const key = JSON.stringify([day, stage]);
    const delta = deltas.get(key) ?? { day, stage, count: 0 };
    delta.count += count;
    deltas.set(key, delta);
  };
  for (const move of aggregates.dailyMoves) {
    add(move.day, move.toStage, move.count);
    add(move.day, move.fromStage, -move.count);
  }
  return { movesBefore: moveTotalsOf([...aggregates.movesBefore, ...aggregates.dailyMoves]), dailyDeltas: [...deltas.values()].filter((d) => d.count !== 0) };
}

/** Moves (totals or per day, counts of either sign) summed by (from, to, skipped); zero sums left out. */
export function moveTotalsOf(moves: Iterable<MoveTotal>): MoveTotal[] {
  const totals = new Map<string, MoveTotal>();
  for (const move of moves) {
    const key = JSON.stringify([move.fromStage, move.toStage, move.skipped]);
    const total = totals.get(key) ?? { fromStage: move.fromStage, toStage: move.toStage, skipped: move.skipped, count: 0 };
    total.count += move.count;
    totals.set(key, total);
  }
  return [...totals.values()].filter((t) => t.count !== 0);
}

/**
 * Stock per stage at each midnight `days[i]` (before the moves of that day), as `stockSeries` gives one
 * millisecond before it, for days from the window's first day to its end day.
 *
 * @throws ZodError when a day is not a whole number.
 */
export function stockSeriesFromAggregates(aggregates: StockAggregates, model: CompiledModel, days: readonly number[]): StockSeries {
  const wanted = WholeDaysSchema.parse(days);
  const stages = stageTableFor(model, namedStages(aggregates.movesBefore));
  const balances = new Balances(stages);
  for (const move of aggregates.movesBefore) balances.apply(move);
  const daily = [...aggregates.dailyDeltas].sort((a, b) => a.day - b.day);
  // Back from the end day to the window's first day.
  for (const delta of daily) balances.shift({ ...delta, count: -delta.count });
  const visitOrder = wanted.map((_, i) => i).sort((a, b) => slot(wanted, a) - slot(wanted, b));
  const points = new Array<StockSeries['points'][number]>(wanted.length);
  let cursor = 0;
  for (const i of visitOrder) {
    const day = slot(wanted, i);
    while (cursor < daily.length && slot(daily, cursor).day < day) balances.shift(slot(daily, cursor++));
    const stock: Record<string, number> = {};
    stages.refs.forEach((ref, s) => (stock[ref.stageId] = slot(balances.stock, s)));
    points[i] = { at: InstantSchema.parse(day * DAY_MS), records: balances.records, stock };
  }
  return { stages: stages.refs, points };
}

// Built once: a zod schema costs more to build than to run (measured per report call).
const WholeDaysSchema = z.array(z.number().int());
const SkippedListSchema = z.array(z.string());

function namedStages(moves: ReadonlyArray<Pick<MoveTotal, 'toStage' | 'skipped' | 'count'>>): Set<string> {
  const named = new Set<string>();
  const skippedLists = new SkippedLists();
  for (const move of moves) {
    if (move.count === 0) continue;
    named.add(move.toStage);
    for (const id of skippedLists.of(move.skipped)) named.add(id);
  }
  return named;
}

/** Skipped lists parsed once per distinct JSON text (a report's moves repeat a few dozen texts over hundreds of rows). */
class SkippedLists {
  private readonly parsed = new Map<string, readonly string[]>();
  of(skipped: string): readonly string[] {
    let list = this.parsed.get(skipped);
    if (!list) {
      list = SkippedListSchema.parse(JSON.parse(skipped));
      this.parsed.set(skipped, list);
    }
    return list;
  }
}

/** Stock per stage index and records in the lifecycle, as moves are applied. */
class Balances {
  readonly stock: number[];
  records = 0;

  constructor(private readonly stages: StageTable) {
    this.stock = stages.refs.map(() => 0);
  }

  apply(move: Pick<MoveKey, 'fromStage' | 'toStage'> & { count: number }): void {
    const to = indexOf(this.stages, move.toStage);
    this.stock[to] = slot(this.stock, to) + move.count;
    if (move.fromStage === OUTSIDE) this.records += move.count;
    else {
      const from = indexOf(this.stages, move.fromStage);
      this.stock[from] = slot(this.stock, from) - move.count;
    }
  }

  /** A day's net change of one stage (OUTSIDE: minus the records that entered). */
  shift(delta: StockDelta): void {
    if (delta.stage === OUTSIDE) {
      this.records -= delta.count;
      return;
    }
    const i = indexOf(this.stages, delta.stage);
    this.stock[i] = slot(this.stock, i) + delta.count;
  }
}

/** The period's flows (from daily moves) and cohort exits (from ended stays), per stage index. */
class AggregateCounts implements PeriodCounts {
  readonly flowIn: number[];
  readonly flowOut: number[];
  readonly skippedThrough: number[];
  readonly cohortExits: OutcomeCounts[];
  readonly cohortFastpassed: number[];
  readonly exits: OutcomeCounts[];
  readonly reengaged: number[];
  readonly entriesByReason: Array<Map<string, number>>;
  churned = 0;
  private readonly skippedLists = new SkippedLists();

  constructor(private readonly stages: StageTable) {
    const perStage = <T>(make: () => T): T[] => stages.refs.map(make);
    this.flowIn = perStage(() => 0);
    this.flowOut = perStage(() => 0);
    this.skippedThrough = perStage(() => 0);
    this.cohortExits = perStage(noOutcomes);
    this.cohortFastpassed = perStage(() => 0);
    this.exits = perStage(noOutcomes);
    this.reengaged = perStage(() => 0);
    this.entriesByReason = perStage(() => new Map<string, number>());
  }

  addMove(move: DailyMove): void {
    const { count } = move;
    const to = indexOf(this.stages, move.toStage);
    this.flowIn[to] = slot(this.flowIn, to) + count;
    const reasons = slot(this.entriesByReason, to);
    const reason = move.reasonCode === NO_REASON_CODE ? NO_REASON : move.reasonCode;
    reasons.set(reason, (reasons.get(reason) ?? 0) + count);
    for (const skipped of this.skippedLists.of(move.skipped)) {
      const i = this.stages.indexOf.get(skipped);
      if (i !== undefined) this.skippedThrough[i] = slot(this.skippedThrough, i) + count;
    }
    if (move.kind === 'churn') this.churned += count;
    if (move.fromStage === OUTSIDE) return;
    const from = indexOf(this.stages, move.fromStage);
    this.flowOut[from] = slot(this.flowOut, from) + count;
    slot(this.exits, from)[exitOutcome(this.stages, from, to)] += count;
    if (move.kind === 'reengage') this.reengaged[from] = slot(this.reengaged, from) + count;
  }

  addCohortExit(stay: StayTotal): void {
    const from = indexOf(this.stages, stay.stage);
    const outcome = exitOutcome(this.stages, from, indexOf(this.stages, stay.exitTo));
    slot(this.cohortExits, from)[outcome] += stay.count;
    if (outcome === 'converted' && stay.exitSkip) this.cohortFastpassed[from] = slot(this.cohortFastpassed, from) + stay.count;
  }
}

/**
 * SLA due at the period end: records in the stage that entered it on or after the SLA's first day (entries from
 * that day on, minus the stays begun since then that already ended); the rest of the stage's stock is past due.
 */
function slaFromAggregates(stages: StageTable, aggregates: FunnelAggregates, ending: readonly number[], endDay: number): Array<SlaCounts | null> {
  return stages.refs.map((ref, i) => {
    const slaDays = slot(stages.slaDays, i);
    if (slaDays === null) return null;
    const dueFrom = endDay - Math.ceil(slaDays);
    let due = 0;
    for (const move of aggregates.dailyMoves) if (move.toStage === ref.stageId && move.day >= dueFrom && move.day < endDay) due += move.count;
    for (const stay of aggregates.stays) if (stay.stage === ref.stageId && stay.enteredDay >= dueFrom && stay.enteredDay < endDay) due -= stay.count;
    return { slaDays, due, pastDue: slot(ending, i) - due };
  });
}

function indexOf(stages: StageTable, stageId: string): number {
  const i = stages.indexOf.get(stageId);
  // The table is built from these very aggregates, so every stage they name is in it.
  if (i === undefined) throw new Error(`stage "${stageId}" missing from the stage table`);
  return i;
}
