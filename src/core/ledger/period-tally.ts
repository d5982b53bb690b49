import { DAY_MS } from '../engine/time';
import { EXIT_OUTCOMES, exitOutcome, isSkip, type ExitOutcome } from './exit-outcome';
import type { Move } from './ledger-replay';
import { slot } from './list-access';
import type { StageTable } from './stage-table';
import { countInto } from './statistics';

export type OutcomeCounts = Record<ExitOutcome, number>;

export const noOutcomes = (): OutcomeCounts => Object.fromEntries(EXIT_OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;

/** The reason key for detour rows without a code; not a valid code, so it cannot collide with one. */
export const NO_REASON = '(none)';

/** The period's counts per stage index that a funnel report is laid out from (velocity and balances aside). */
export interface PeriodCounts {
  readonly flowIn: readonly number[];
  readonly flowOut: readonly number[];
  readonly skippedThrough: readonly number[];
  readonly cohortExits: readonly OutcomeCounts[];
  readonly cohortFastpassed: readonly number[];
  readonly exits: readonly OutcomeCounts[];
  readonly reengaged: readonly number[];
  readonly entriesByReason: ReadonlyArray<ReadonlyMap<string, number>>;
  readonly churned: number;
}

/**
 * Everything a funnel report counts from the moves inside one period, per stage index. Cohort figures follow the
 * stays that BEGAN in the period (Marketo's conversion of new names): how they ended by period end.
 */
export class PeriodTally implements PeriodCounts {
  readonly flowIn: number[];
  readonly flowOut: number[];
  readonly skippedThrough: number[];
  /** Days in stage of the stays that ended in the period. */
  readonly endedStayDays: number[][];
  /** How the period's cohort left each stage before period end. */
  readonly cohortExits: OutcomeCounts[];
  /** Of the cohort's conversions, those made by a Fastpass. */
  readonly cohortFastpassed: number[];
  /** Exits of any stay in the period, by outcome (flow, not cohort). */
  readonly exits: OutcomeCounts[];
  readonly reengaged: number[];
  readonly entriesByReason: Array<Map<string, number>>;
  churned = 0;

  constructor(
    private readonly stages: StageTable,
    private readonly start: number,
  ) {
    const perStage = <T>(make: () => T): T[] => stages.refs.map(make);
    this.flowIn = perStage(() => 0);
    this.flowOut = perStage(() => 0);
    this.skippedThrough = perStage(() => 0);
    this.endedStayDays = perStage(() => []);
    this.cohortExits = perStage(noOutcomes);
    this.cohortFastpassed = perStage(() => 0);
    this.exits = perStage(noOutcomes);
    this.reengaged = perStage(() => 0);
    this.entriesByReason = perStage(() => new Map<string, number>());
  }

  /** Counts one move dated inside the period. */
  add({ row, from, fromSince, to }: Move): void {
    const { indexOf } = this.stages;
    this.flowIn[to] = slot(this.flowIn, to) + 1;
    countInto(slot(this.entriesByReason, to), row.reasonCode ?? NO_REASON);
    for (const skipped of row.skipped) {
      const i = indexOf.get(skipped);
      if (i !== undefined) this.skippedThrough[i] = slot(this.skippedThrough, i) + 1;
    }
    if (row.kind === 'churn') this.churned++;
    if (from < 0) return;

    this.flowOut[from] = slot(this.flowOut, from) + 1;
    slot(this.endedStayDays, from).push((row.occurredAt - fromSince) / DAY_MS);
    const outcome = exitOutcome(this.stages, from, to);
    slot(this.exits, from)[outcome]++;
    if (row.kind === 'reengage') this.reengaged[from] = slot(this.reengaged, from) + 1;
    if (fromSince >= this.start) {
      slot(this.cohortExits, from)[outcome]++;
      if (outcome === 'converted' && isSkip(row)) this.cohortFastpassed[from] = slot(this.cohortFastpassed, from) + 1;
    }
  }
}
