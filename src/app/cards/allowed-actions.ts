import type { AllowedActions, Reason } from '../../contracts/card-api';
import type { CompiledModel, LifecycleState } from '../../core';
import { stageRef } from './card-refs';

/**
 * What the contact card offers, mirroring the engine's command rules (src/core/engine/commands.ts) so the card
 * never offers a button the engine would refuse. The engine stays the judge: a stale card that sends a refused
 * action gets the refusal back.
 */
export function allowedActions(state: LifecycleState, model: CompiledModel): AllowedActions {
  const stage = state.stage === null ? undefined : model.stageById.get(state.stage);
  if (!stage || stage.kind === 'dead_end') return { recycleReasons: [], deadEndReasons: [], fastpassTargets: [] };
  const isCustomer = model.customerStages.has(stage.id) || stage.kind === 'churned';
  return {
    recycleReasons: isCustomer || stage.kind === 'recycle' ? [] : recycleReasonsFrom(stage.id, model),
    deadEndReasons: isCustomer ? [] : model.deadEnd.reasons.map((r) => ({ code: r.code, label: r.label })),
    fastpassTargets: fastpassTargets(stage.id, model).map((s) => stageRef(model, s.id)),
  };
}

/** The reasons of the rules that recycle from this stage; where none does, the engine accepts any rule's reason. */
function recycleReasonsFrom(stageId: string, model: CompiledModel): Reason[] {
  const fromHere = model.recycleRules.filter((r) => r.from.includes(stageId));
  const rules = fromHere.length > 0 ? fromHere : model.recycleRules;
  const byCode = new Map<string, Reason>();
  for (const reason of rules.flatMap((r) => r.reasons)) if (!byCode.has(reason.code)) byCode.set(reason.code, { code: reason.code, label: reason.label });
  return [...byCode.values()];
}

/** Path stages a Fastpass may target: forward of a path stage, from the return stage on for a detour, any when churned. */
function fastpassTargets(stageId: string, model: CompiledModel) {
  const stage = model.stageById.get(stageId);
  if (!stage) return [];
  if (stage.kind === 'churned') return model.pathStages;
  if (stage.kind === 'recycle') {
    const returnRank = model.pathRank.get(model.recycleByStage.get(stage.id)?.returnTo ?? '') ?? 0;
    return model.pathStages.filter((s) => (model.pathRank.get(s.id) ?? 0) >= returnRank);
  }
  const rank = model.pathRank.get(stage.id) ?? 0;
  return model.pathStages.filter((s) => (model.pathRank.get(s.id) ?? 0) > rank);
}
