import type { AllowedActions, Reason } from '../../contracts/card-api';
import { mayDeadEnd, mayFastpassTo, mayRecycle, type CompiledModel, type LifecycleState } from '../../core';
import { stageRef } from './card-refs';

/**
 * What the contact card offers: exactly the commands the engine accepts, decided by the same guards
 * (src/core/engine/command-guards.ts; a property test holds them together). The engine stays the judge: a stale
 * card that sends a refused action gets the refusal back. A record outside the lifecycle has no card (not synced),
 * so it is offered nothing.
 */
export function allowedActions(state: LifecycleState, model: CompiledModel): AllowedActions {
  if (state.stage === null || !model.stageById.has(state.stage)) return { recycleReasons: [], deadEndReasons: [], fastpassTargets: [] };
  return {
    recycleReasons: mayRecycle(state, model) ? recycleReasonsFrom(state.stage, model) : [],
    deadEndReasons: mayDeadEnd(state, model) ? model.deadEnd.reasons.map((r) => ({ code: r.code, label: r.label })) : [],
    fastpassTargets: model.pathStages.filter((s) => mayFastpassTo(state, s.id, model)).map((s) => stageRef(model, s.id)),
  };
}

/**
 * Every reason the engine accepts (the reason picks the rule), those of the rules that recycle from this stage
 * first, since they are the likely ones.
 */
function recycleReasonsFrom(stageId: string, model: CompiledModel): Reason[] {
  const fromHere = new Set(model.recycleRules.filter((r) => r.from.includes(stageId)).flatMap((r) => r.reasons.map((x) => x.code)));
  return [...model.recycleReasons.filter((r) => fromHere.has(r.code)), ...model.recycleReasons.filter((r) => !fromHere.has(r.code))];
}
