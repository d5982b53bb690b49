import type { LifecycleState } from './state';
import { isoTime } from './time';

/** Our HubSpot properties (group "lifecycle_engine"), written from the state after every decision. */
export const LC_PROPERTIES = {
  stage: 'lc_stage',
  stageEnteredAt: 'lc_stage_entered_at',
  previousStage: 'lc_previous_stage',
  lastTransitionKind: 'lc_last_transition_kind',
  recycleReason: 'lc_recycle_reason',
  recycleCount: 'lc_recycle_count',
  marketingPausedUntil: 'lc_marketing_paused_until',
  deadEndReason: 'lc_dead_end_reason',
} as const;

/** Values are HubSpot-shaped strings; "" clears a property. */
export function lcProperties(state: LifecycleState): Record<string, string> {
  return {
    [LC_PROPERTIES.stage]: state.stage ?? '',
    [LC_PROPERTIES.stageEnteredAt]: state.enteredAt === null ? '' : isoTime(state.enteredAt),
    [LC_PROPERTIES.previousStage]: state.previousStage ?? '',
    [LC_PROPERTIES.lastTransitionKind]: state.lastTransitionKind ?? '',
    [LC_PROPERTIES.recycleReason]: state.lastRecycle?.reason ?? '',
    [LC_PROPERTIES.recycleCount]: String(state.recycleCount),
    [LC_PROPERTIES.marketingPausedUntil]: state.marketingPausedUntil === null ? '' : isoTime(state.marketingPausedUntil),
    [LC_PROPERTIES.deadEndReason]: state.deadEndReason ?? '',
  };
}
