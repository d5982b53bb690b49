import type { ReportPeriod } from './report-query';
import type { SlaCounts } from './sla';
import type { StageRef } from './stage-table';
import type { DurationSummary } from './statistics';

/** Conversion to the next stage, over the stays that began in the period (the cohort), as of period end. */
export interface StageCvr {
  /** Entries into the stage in the period (equals the stage's flowIn). */
  entered: number;
  /** Moved on to a later path stage by period end, by an advance or a Fastpass. */
  converted: number;
  /** Of `converted`, by a Fastpass that skipped stages (reported separately, still a conversion). */
  fastpassed: number;
  /** converted ÷ entered; null when nothing entered. */
  rate: number | null;
  /** Left the funnel by period end, by destination. */
  dropOuts: { recycled: number; deadEnd: number; churned: number };
  /** Left by any other move (e.g. to a stage the model no longer has). */
  otherExits: number;
  /** Still in the stage at period end. entered = converted + drop-outs + otherExits + stillInStage. */
  stillInStage: number;
}

export interface StageReport extends StageRef {
  /** Records in the stage when the period began (before any of its moves). */
  beginning: number;
  /** Entries into the stage in the period; a Fastpass counts only for its destination. */
  flowIn: number;
  /** Exits from the stage in the period. beginning + flowIn − flowOut = ending. */
  flowOut: number;
  /** Records in the stage when the period ended (after all of its moves). */
  ending: number;
  /** Fastpass moves in the period that bypassed this stage: neither flow nor conversion of it. */
  skippedThrough: number;
  /** For path stages that have a later path stage; null elsewhere (detours report their own return CVR). */
  cvr: StageCvr | null;
  /** Time in stage of the stays that ENDED in the period. */
  velocity: DurationSummary;
  /** SLA due / past due at period end, for stages with an SLA. */
  sla: SlaCounts | null;
}

/** A recycle detour (Recycle A/B): its own flow and its conversion back onto the path. */
export interface RecycleDetourReport {
  stageId: string;
  label: string;
  /** Recycle entries in the period, and by reason code. */
  entered: number;
  enteredByReason: Record<string, number>;
  /** Exits back onto the path in the period (pause ended, re-engaged, or a Fastpass out). */
  returned: number;
  /** Of `returned`, re-engagements (the record became active again; sales was alerted). */
  reengaged: number;
  /** Of the records recycled in the period, the share back on the path by period end. */
  returnCvr: { entered: number; returned: number; rate: number | null };
}

export interface ChurnReport {
  /** Churn transitions in the period. */
  churned: number;
  /** Records in the model's customer stages when the period began. */
  customersAtStart: number;
  /** Entries into the model's first customer stage in the period (new and won-back customers). */
  customersGained: number;
  /**
   * What the rate divides by (docs/reports.md, "Churn rate"): the customers at the start of the period (the
   * literature's definition) when there were any; for a period that starts with no customers, the customers gained
   * in it (the only customers who could churn); null when there were neither (no rate).
   */
  base: 'customers_at_start' | 'customers_gained' | null;
  /**
   * churned ÷ the base. Over customers at start, customers won and lost inside the period count above the line
   * only, so a period of fast turnover can exceed 1.
   */
  rate: number | null;
}

export interface FunnelReport {
  period: ReportPeriod;
  /** Records in the lifecycle when the period began and ended. */
  records: { beginning: number; ending: number };
  stages: StageReport[];
  detours: RecycleDetourReport[];
  /** Entries into the dead end in the period, by reason code. */
  deadEndsByReason: Record<string, number>;
  churn: ChurnReport;
}
