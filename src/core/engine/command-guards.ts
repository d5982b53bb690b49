import type { CompiledModel, CompiledStage, StageId } from '../model/model-types';
import type { LifecycleState } from './state';
import { isoTime } from './time';

/**
 * The rules an admin command must pass, as named predicates over (state, model): the engine's `planCommand` refuses
 * with these refusals, and the contact card offers exactly the actions they allow, so the card never shows a
 * button the engine would refuse (checked by a property test over random states). Each `…Refusal` returns the
 * sentence the admin reads, or null when the command may go ahead.
 */

const currentStage = (state: LifecycleState, model: CompiledModel): CompiledStage | undefined => (state.stage === null ? undefined : model.stageById.get(state.stage));

/** Customers churn; they are neither recycled nor dead-ended. Churned counts as a customer stage here. */
export function isCustomerStage(model: CompiledModel, stageId: StageId): boolean {
  return model.customerStages.has(stageId) || model.stageById.get(stageId)?.kind === 'churned';
}

/** May this record be recycled at all (whatever the reason)? */
export function recycleRefusal(state: LifecycleState, model: CompiledModel, now: number): string | null {
  const stage = currentStage(state, model);
  if (!stage) return 'The record is not in the lifecycle yet, so there is nothing to recycle.';
  if (stage.kind === 'dead_end') return 'Dead end is terminal: reopen the record before recycling it.';
  if (isCustomerStage(model, stage.id)) return `${stage.label} is a customer stage: customers churn, they are not recycled.`;
  if (stage.kind === 'recycle') return `Already in ${stage.label} since ${isoTime(state.enteredAt ?? now)}.`;
  return null;
}

export const mayRecycle = (state: LifecycleState, model: CompiledModel): boolean => recycleRefusal(state, model, 0) === null;

/** May this record be marked a dead end (whatever the reason)? A record not yet in the lifecycle may. */
export function deadEndRefusal(state: LifecycleState, model: CompiledModel): string | null {
  const stage = currentStage(state, model);
  if (stage?.kind === 'dead_end') return `Already a dead end (${state.deadEndReason ?? 'no reason'}).`;
  if (stage && isCustomerStage(model, stage.id)) return `${stage.label} is a customer stage: customers are never marked dead end (churn handles lost customers).`;
  return null;
}

export const mayDeadEnd = (state: LifecycleState, model: CompiledModel): boolean => deadEndRefusal(state, model) === null;

/**
 * The path rank a Fastpass resumes from: the next stage after a path stage, the return stage of a recycle detour,
 * the start of the path for a record outside the lifecycle or churned (a win-back may land anywhere on the path).
 */
export function fastpassResumeRank(stage: CompiledStage | undefined, model: CompiledModel): number {
  if (!stage) return 0;
  if (stage.kind === 'path') return (model.pathRank.get(stage.id) ?? 0) + 1;
  if (stage.kind === 'recycle') return model.pathRank.get(model.recycleByStage.get(stage.id)?.returnTo ?? '') ?? 0;
  return 0;
}

/** May this record be fastpassed to `targetId`? Only forward, onto the path, and never out of a dead end. */
export function fastpassRefusal(state: LifecycleState, targetId: StageId, model: CompiledModel): string | null {
  const stage = currentStage(state, model);
  const target = model.stageById.get(targetId);
  if (!target || target.kind !== 'path') return `"${targetId}" is not a stage on the path.`;
  if (stage?.kind === 'dead_end') return 'Dead end is terminal: reopen the record first.';
  const targetRank = model.pathRank.get(target.id) ?? 0;
  if (stage?.kind === 'path' && targetRank < fastpassResumeRank(stage, model)) {
    return `${target.label} is not after ${stage.label}: Fastpass only moves forward (use recycle to go back).`;
  }
  // A detour resumes at its return stage: a Fastpass to a path stage before it would be a move back.
  if (stage?.kind === 'recycle' && targetRank < fastpassResumeRank(stage, model)) {
    const returnTo = model.recycleByStage.get(stage.id)?.returnTo ?? '';
    return `${target.label} is before ${model.stageById.get(returnTo)?.label ?? returnTo}, where ${stage.label} returns: Fastpass only moves forward.`;
  }
  if (stage?.id === target.id) return `Already in ${target.label}.`;
  return null;
}

export const mayFastpassTo = (state: LifecycleState, targetId: StageId, model: CompiledModel): boolean => fastpassRefusal(state, targetId, model) === null;

/** Only a dead end can be reopened, and only onto the path. */
export function reopenRefusal(state: LifecycleState, to: StageId, model: CompiledModel): string | null {
  if (currentStage(state, model)?.kind !== 'dead_end') return 'Only a dead-end record can be reopened.';
  if (model.stageById.get(to)?.kind !== 'path') return `"${to}" is not a stage on the path.`;
  return null;
}
