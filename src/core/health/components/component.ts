import type { CompiledModel, CompiledStage } from '../../model/model-types';
import type { AccountSnapshot, RecordAt } from '../account-snapshot';
import { DAY_MS } from '../../engine/time';

/** What every component scores: the account as of one instant, and its unified stage at that instant. */
export interface ScoringContext {
  model: CompiledModel;
  snapshot: AccountSnapshot;
  accountStage: CompiledStage | null;
}

export interface ComponentResult {
  /** 0-1 */
  score: number;
  detail: string;
}

/** Absence of data is not evidence either way, so a component without any sits in the middle. */
export const NEUTRAL_SCORE = 0.5;

export const noData = (what: string): ComponentResult => ({ score: NEUTRAL_SCORE, detail: `No data: ${what} (neutral 0.5).` });

/** Dead-end and churned records have left the flow: they will never meet a stage deadline again. */
export const leftFlow = (stage: CompiledStage): boolean => stage.kind === 'dead_end' || stage.kind === 'churned';

/** Days in the current stage at `at`; null when the entry time is unknown. */
export const daysInStage = (record: RecordAt, at: number): number | null => (record.since === null ? null : Math.max(0, at - record.since) / DAY_MS);

export const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Plain, locale-free number formats so the same account always reads the same on every server. */
export const fmtDays = (days: number): string => String(Math.round(days * 10) / 10);
export const fmtPercent = (share: number): string => `${Math.round(share * 100)} %`;
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
