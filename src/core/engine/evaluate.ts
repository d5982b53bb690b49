import type { CompiledModel } from '../model/model-types';
import type { Decision, Effect, LedgerEntry, Step } from './decision';
import type { Facts } from './facts';
import { lcProperties } from './lc-properties';
import { datedAtCreation, nextStep } from './next-step';
import type { LifecycleState } from './state';
import { DAY_MS, isoTime } from './time';

/** A guard against models whose rules chase each other; real histories settle in a handful of moves. */
export const MAX_STEPS_PER_DECISION = 32;

/**
 * Decides what the facts mean for a record: every move the rules allow, in the order the facts happened, and the
 * effects the shell must carry out. Pure, synchronous and total; evaluating the resulting state with the same facts
 * decides nothing new.
 */
export function evaluate(state: LifecycleState, facts: Facts, model: CompiledModel, now: number): Decision {
  return settle(state, state, [], facts, model, now);
}

export interface Provenance {
  source: LedgerEntry['source'];
  actor: string | null;
}

/** Runs the rules to rest from `current`, then assembles the decision relative to `initial`. */
export function settle(
  initial: LifecycleState,
  current: LifecycleState,
  priorSteps: Array<{ step: Step; provenance: Provenance }>,
  facts: Facts,
  model: CompiledModel,
  now: number,
  refusal: string | null = null,
): Decision {
  const steps = [...priorSteps];
  let state = current;
  let wakeTimes: number[] = [];
  const factsAtEntry = current.stage === null ? datedAtCreation(facts, now) : undefined;
  for (let i = 0; i < MAX_STEPS_PER_DECISION; i++) {
    wakeTimes = [];
    const step = nextStep(state, facts, model, now, wakeTimes, factsAtEntry);
    if (!step) break;
    state = applyStep(state, step, model);
    steps.push({ step, provenance: { source: 'rules', actor: null } });
  }
  // A pause that outlived its detour (re-engagement that keeps the pause) ends by itself.
  let pauseEnded = false;
  if (state.marketingPausedUntil !== null && state.marketingPausedUntil <= now && !isRecycleStage(state, model)) {
    state = { ...state, marketingPausedUntil: null };
    pauseEnded = true;
  } else if (state.marketingPausedUntil !== null && state.marketingPausedUntil > now) {
    wakeTimes.push(state.marketingPausedUntil);
  }

  const effects = planEffects(initial, state, steps, facts, model, now, pauseEnded);
  const last = steps.at(-1)?.step;
  const future = wakeTimes.filter((t) => t > now);
  return {
    kind: last?.kind ?? 'none',
    from: initial.stage,
    to: state.stage,
    skipped: steps.flatMap(({ step }) => step.skipped),
    steps: steps.map(({ step }) => step),
    reasons: steps.map(({ step }) => describeStep(step, model)),
    effects,
    state,
    wakeAt: future.length > 0 ? Math.min(...future) : null,
    refusal,
  };
}

function isRecycleStage(state: LifecycleState, model: CompiledModel): boolean {
  return state.stage !== null && model.stageById.get(state.stage)?.kind === 'recycle';
}

/** The record's state after one move. */
export function applyStep(state: LifecycleState, step: Step, model: CompiledModel): LifecycleState {
  const leavingRecycle = isRecycleStage(state, model);
  const next: LifecycleState = {
    ...state,
    stage: step.to,
    enteredAt: step.at,
    previousStage: step.from,
    lastTransitionKind: step.kind,
  };
  if (step.kind === 'recycle') {
    const rule = model.recycleByStage.get(step.to);
    const pauseDays = rule?.pauseDays ?? 0;
    next.recycleCount = state.recycleCount + 1;
    next.lastRecycle = {
      ruleId: step.ruleId,
      reason: step.reasonCode ?? rule?.defaultReason ?? 'recycled',
      at: step.at,
      fromStage: step.from ?? '',
      lostDealId: step.lostDealId ?? null,
    };
    next.marketingPausedUntil = pauseDays > 0 ? step.at + pauseDays * DAY_MS : null;
  } else if (leavingRecycle) {
    const rule = state.stage ? model.recycleByStage.get(state.stage) : undefined;
    const keepPause = step.kind === 'reengage' && rule?.reengagement?.releasePause === false;
    if (!keepPause) next.marketingPausedUntil = null;
  }
  if (step.kind === 'dead_end') {
    next.deadEndReason = step.reasonCode;
    next.marketingPausedUntil = null;
  }
  if (step.kind === 'reopen') {
    next.deadEndReason = null;
    next.deadEndRulesWaived = true;
  }
  return next;
}

export function transitionId(state: Pick<LifecycleState, 'objectType' | 'objectId'>, step: Step): string {
  return `${state.objectType}:${state.objectId}:${step.at}:${step.from ?? 'none'}>${step.to}`;
}

function describeStep(step: Step, model: CompiledModel): string {
  const label = (id: string | null) => (id === null ? '(new)' : (model.stageById.get(id)?.label ?? id));
  const skipped = step.skipped.length > 0 ? ` (skipped ${step.skipped.map(label).join(', ')})` : '';
  const evidence = step.evidence.length > 0 ? ` — ${step.evidence.join('; ')}` : '';
  return `${label(step.from)} → ${label(step.to)} [${step.kind}]${skipped}: ${step.reason}${evidence}`;
}

function planEffects(
  initial: LifecycleState,
  final: LifecycleState,
  steps: Array<{ step: Step; provenance: Provenance }>,
  facts: Facts,
  model: CompiledModel,
  now: number,
  pauseEnded: boolean,
): Effect[] {
  const effects: Effect[] = [];
  let before = initial;
  for (const { step, provenance } of steps) {
    effects.push({
      type: 'append_ledger',
      entry: {
        transitionId: transitionId(final, step),
        objectType: final.objectType,
        objectId: final.objectId,
        fromStage: step.from,
        toStage: step.to,
        kind: step.kind,
        skipped: step.skipped,
        ruleId: step.ruleId,
        reason: step.reason,
        reasonCode: step.reasonCode,
        evidence: step.evidence,
        occurredAt: step.at,
        source: provenance.source,
        actor: provenance.actor,
        ...(model.revision === undefined ? {} : { modelRevision: model.revision }),
      },
    });
    if (step.kind === 'reengage') {
      const alert = ownerAlert(before, step, facts, model, now);
      if (alert) effects.push(alert);
    }
    before = applyStep(before, step, model);
  }

  const stateChanged = steps.length > 0 || pauseEnded;
  if (stateChanged) effects.push({ type: 'set_properties', properties: lcProperties(final) });
  if (steps.length > 0) {
    const native = nativeStageEffect(final, facts, model);
    if (native) effects.push(native);
  }
  if (final.marketingPausedUntil !== initial.marketingPausedUntil) {
    if (final.marketingPausedUntil !== null) {
      effects.push({ type: 'pause_marketing', until: final.marketingPausedUntil, reason: final.lastRecycle?.reason ?? 'recycled' });
    } else if (initial.marketingPausedUntil !== null) {
      effects.push({ type: 'release_marketing_pause' });
    }
  }
  return effects;
}

/** HubSpot's own lifecycle stage, kept in step with ours; backward moves are planned as clear-then-set. */
function nativeStageEffect(final: LifecycleState, facts: Facts, model: CompiledModel): Effect | null {
  if (model.nativeSync === 'off' || final.stage === null) return null;
  const target = model.stageById.get(final.stage)?.nativeStage;
  if (!target) return null;
  const current = facts.properties[model.nativeProperty] ?? '';
  if (current === target) return null;
  const currentRank = model.nativeRank.get(current);
  const targetRank = model.nativeRank.get(target) ?? Infinity;
  // An unknown current value may be ahead of the target; clearing first is the only move HubSpot always honours.
  const backward = current !== '' && (currentRank === undefined || currentRank > targetRank);
  if (backward && model.nativeSync === 'forward_only') return null;
  return { type: 'set_native_stage', property: model.nativeProperty, value: target, clearFirst: backward };
}

function ownerAlert(before: LifecycleState, step: Step, facts: Facts, model: CompiledModel, now: number): Effect | null {
  const rule = before.stage ? model.recycleByStage.get(before.stage) : undefined;
  const recycle = before.lastRecycle;
  if (!rule?.reengagement?.alertOwner || !recycle) return null;
  const reasonLabel = rule.reasons.find((r) => r.code === recycle.reason)?.label ?? recycle.reason;
  const fromLabel = model.stageById.get(recycle.fromStage)?.label ?? recycle.fromStage;
  const daysAgo = Math.max(0, Math.round((step.at - recycle.at) / DAY_MS));
  const deal = recycle.lostDealId ? ` after deal ${recycle.lostDealId} was lost` : '';
  return {
    type: 'notify_owner',
    ownerId: facts.properties['hubspot_owner_id'] || null,
    subject: `Recycled lead is active again (${rule.label}, ${daysAgo} days ago)`,
    body: `Recycled on ${isoTime(recycle.at).slice(0, 10)} from ${fromLabel}${deal}: ${reasonLabel}. ` + `Active again: ${step.evidence.join('; ') || 're-engagement criterion met'}.`,
    priority: rule.reengagement.taskPriority,
    dueAt: now,
    context: {
      recycledAt: recycle.at,
      recycleReason: recycle.reason,
      fromStage: recycle.fromStage,
      lostDealId: recycle.lostDealId,
      evidence: step.evidence,
    },
  };
}
