import type { HealthComponent, StageKind } from '../model/model-schema';

export const HEALTH_BANDS = ['healthy', 'at_risk', 'critical'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

/** One weighted component of the score, with the sentence that explains its figure on the card. */
export interface HealthComponentScore {
  id: HealthComponent;
  label: string;
  /** The model's weight; the weights of all components sum to 100. */
  weight: number;
  /** How well the account does on this component, 0-1. */
  score: number;
  /** weight × score: this component's share of the 0-100 score. */
  points: number;
  detail: string;
}

export interface AccountStageRef {
  stageId: string;
  label: string;
  kind: StageKind;
}

export interface StageCount {
  stageId: string;
  label: string;
  count: number;
}

export interface HealthTrend {
  /** The instant compared against: now − trendDays. */
  at: number;
  days: number;
  /** The score as of `at`, recomputed from the same inputs as they stood then. */
  previous: number;
  delta: number;
  direction: 'up' | 'down' | 'flat';
}

export interface AccountHealth {
  /** 0-100, the rounded sum of the components' points. */
  score: number;
  band: HealthBand;
  components: HealthComponentScore[];
  /** The most advanced stage among the account's records and deals; null when nothing is in the lifecycle. */
  accountStage: AccountStageRef | null;
  /** Contacts per stage, every stage of the model in model order. */
  contactsPerStage: StageCount[];
  trend: HealthTrend;
}
