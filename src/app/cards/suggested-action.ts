import type { AllowedActions, StageRef, SuggestedAction, TimeInStage } from '../../contracts/card-api';

/**
 * The one action the sidebar offers, chosen from what the model allows (so the engine accepts it):
 * - past its SLA on the path, a record that may be recycled should go back to nurture with a reason, not sit
 *   (the lifecycle model's Recycle A/B: stale leads and lost deals are recycled, never left or discarded);
 * - otherwise on the path, the next stage, for when its criterion was met where the engine cannot see it (a
 *   meeting booked by phone);
 * - on a recycle detour, the return to the path, for a contact who is talking again before the pause ends.
 * Dead end and churned get nothing: leaving them is a deliberate choice that belongs to the full card.
 */
export function suggestedAction(stage: StageRef, time: TimeInStage, allowed: AllowedActions): SuggestedAction | null {
  const next = allowed.fastpassTargets[0];
  switch (stage.kind) {
    case 'dead_end':
    case 'churned':
      return null;
    case 'recycle':
      return next ? { action: 'fastpass', to: next, why: `Talking again before the pause ends? Return it to ${next.label}.` } : null;
    case 'path':
      if (time.sla?.status === 'breached' && allowed.recycleReasons.length > 0) {
        return { action: 'recycle', reasons: allowed.recycleReasons, why: `Past its SLA in ${stage.label}: recycle it to nurture with a reason rather than let it sit.` };
      }
      return next ? { action: 'fastpass', to: next, why: `Already qualifies for ${next.label}? Move it on.` } : null;
  }
}
