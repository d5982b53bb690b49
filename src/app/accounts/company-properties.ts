import { isoTime, LC_PROPERTIES, type AccountHealth, type CompiledModel, type LifecycleState } from '../../core';

/** The company properties the engine writes besides the contacts' lc_* (group "lifecycle_engine"). */
export const COMPANY_HEALTH_PROPERTIES = {
  score: 'lc_health_score',
  band: 'lc_health_band',
  trend: 'lc_health_trend',
} as const;

/**
 * What a company shows in HubSpot: its account stage (stage, entered at, previous stage, how it got there) and its
 * health (score 0-100, band, and the trend as the signed change in points over the model's trend window), all
 * HubSpot-shaped strings ("" clears).
 */
export function companyLcProperties(state: LifecycleState, health: AccountHealth | null): Record<string, string> {
  const properties: Record<string, string> = {
    [LC_PROPERTIES.stage]: state.stage ?? '',
    [LC_PROPERTIES.stageEnteredAt]: state.enteredAt === null ? '' : isoTime(state.enteredAt),
    [LC_PROPERTIES.previousStage]: state.previousStage ?? '',
    [LC_PROPERTIES.lastTransitionKind]: state.lastTransitionKind ?? '',
  };
  if (health) {
    properties[COMPANY_HEALTH_PROPERTIES.score] = String(health.score);
    properties[COMPANY_HEALTH_PROPERTIES.band] = health.band;
    properties[COMPANY_HEALTH_PROPERTIES.trend] = String(health.trend.delta);
  }
  return properties;
}

/**
 * The company's native lifecycle stage write, mirrored the way contacts' is (a backward move is a clear, then a set),
 * following the model's `native.sync` (off, forward only), unless the model leaves the company stage to HubSpot's own contact-to-company sync (`accounts.companyStageSync`).
 */
export function companyNativeStage(model: CompiledModel, from: string | null, to: string | null): { property: string; value: string; clearFirst: boolean } | null {
  if (model.document.accounts.companyStageSync !== 'mirror' || model.nativeSync === 'off' || to === null) return null;
  const target = model.stageById.get(to)?.nativeStage;
  if (!target) return null;
  const previous = (from === null ? undefined : model.stageById.get(from)?.nativeStage) ?? undefined;
  const backward = previous !== undefined && (model.nativeRank.get(target) ?? 0) < (model.nativeRank.get(previous) ?? 0);
  if (backward && model.nativeSync === 'forward_only') return null;
  return { property: model.nativeProperty, value: target, clearFirst: backward };
}
