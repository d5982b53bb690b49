/** Account lifecycle health: weighted components, band and trend for the company record card. Pure. */
export { accountHealth } from './account-health';
export { accountStage } from './account-stage';
export { healthBand } from './health-band';
export { weakestComponent, type WeakestComponent } from './weakest-component';
export { npsScore, npsBreakdown, csatMean, type NpsBreakdown } from './nps';
export { engagementFromEvents, churnSignalsFromFacts, ENGAGEMENT_EVENTS } from './health-signals';
export {
  AccountHealthInputSchema,
  ChurnSignalSchema,
  DealSchema,
  EngagementSchema,
  LedgerEntrySchema,
  RecordLifecycleSchema,
  SatisfactionAnswerSchema,
  EXPANSION_DEAL_TYPES,
  type AccountHealthInput,
  type ChurnSignal,
  type Deal,
  type Engagement,
  type RecordLifecycle,
  type SatisfactionAnswer,
} from './health-input';
export type { AccountHealth, AccountStageRef, HealthBand, HealthComponentScore, HealthTrend, StageCount } from './health-output';
export { HEALTH_BANDS } from './health-output';
export { CHURN_SIGNAL_DAYS } from './components/churn-signals';
export { RECENT_LOSS_DAYS } from './components/deals';
export { UPSELL_SHARE_FOR_FULL_SCORE } from './components/upsell';
