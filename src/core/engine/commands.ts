import { z } from 'zod';
import type { CompiledModel, RecycleRule } from '../model/model-types';
import type { Decision, Step } from './decision';
import { applyStep, evaluate, settle, type Provenance } from './evaluate';
import type { Facts } from './facts';
import type { LifecycleState } from './state';
import { deadEndRefusal, fastpassRefusal, fastpassResumeRank, recycleRefusal, reopenRefusal } from './command-guards';

/** What an admin or a workflow action can ask for explicitly; it goes through the same rules and ledger. */
export const CommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('recycle'), reason: z.string().min(1), ruleId: z.string().optional() }),
  z.strictObject({ type: z.literal('dead_end'), reason: z.string().min(1) }),
  z.strictObject({ type: z.literal('fastpass'), to: z.string().min(1) }),
  z.strictObject({ type: z.literal('reopen'), to: z.string().min(1).optional() }),
]);
export type Command = z.infer<typeof CommandSchema>;

export type Planned = { ok: true; step: Step } | { ok: false; refusal: string };

/**
 * Applies an admin command after bringing the record up to date with its facts. A command the model does not
 * allow is refused with the reason (the decision then carries only the catch-up moves).
 */
export function decideCommand(state: LifecycleState, facts: Facts, command: Command, model: CompiledModel, now: number, actor: string | null = null): Decision {
  const caughtUp = evaluate(state, facts, model, now);
  const prior = caughtUp.steps.map((step) => ({ step, provenance: { source: 'rules', actor: null } satisfies Provenance }));
  const planned = planCommand(caughtUp.state, command, model, now);
  if (!planned.ok) return settle(state, caughtUp.state, prior, facts, model, now, planned.refusal);
  const afterCommand = applyStep(caughtUp.state, planned.step, model);
  return settle(state, afterCommand, [...prior, { step: planned.step, provenance: { source: 'command', actor } }], facts, model, now);
}

/** The step a command makes from an up-to-date state, or the refusal of the guard it fails (command-guards.ts). */
export function planCommand(state: LifecycleState, command: Command, model: CompiledModel, now: number): Planned {
  const stage = state.stage === null ? undefined : model.stageById.get(state.stage);
  const base = { from: state.stage, at: now, skipped: [] as string[], evidence: ['admin command'] };

  switch (command.type) {
    case 'recycle': {
      const refusal = recycleRefusal(state, model, now);
      if (refusal !== null || !stage) return { ok: false, refusal: refusal ?? 'The record is not in the lifecycle yet, so there is nothing to recycle.' };
      const rule = pickRecycleRule(model, stage.id, command.reason, command.ruleId);
      if (!rule) return { ok: false, refusal: `No recycle rule accepts reason "${command.reason}".` };
      const reason = rule.reasons.find((r) => r.code === command.reason);
      if (!reason) {
        return { ok: false, refusal: `Unknown reason "${command.reason}" for ${rule.label}; use one of: ${rule.reasons.map((r) => r.code).join(', ')}.` };
      }
      return { ok: true, step: { ...base, to: rule.stage, kind: 'recycle', ruleId: rule.id, reason: `${rule.label}: ${reason.label}`, reasonCode: reason.code, lostDealId: null } };
    }
    case 'dead_end': {
      const reason = model.deadEnd.reasons.find((r) => r.code === command.reason);
      if (!reason) {
        return { ok: false, refusal: `Unknown dead-end reason "${command.reason}"; use one of: ${model.deadEnd.reasons.map((r) => r.code).join(', ')}.` };
      }
      const refusal = deadEndRefusal(state, model);
      if (refusal !== null) return { ok: false, refusal };
      return { ok: true, step: { ...base, to: model.deadEnd.stage, kind: 'dead_end', ruleId: 'admin_dead_end', reason: `Dead end: ${reason.label}`, reasonCode: reason.code } };
    }
    case 'fastpass': {
      const refusal = fastpassRefusal(state, command.to, model);
      const target = model.stageById.get(command.to);
      if (refusal !== null || !target) return { ok: false, refusal: refusal ?? `"${command.to}" is not a stage on the path.` };
      const targetRank = model.pathRank.get(target.id) ?? 0;
      const resumeRank = fastpassResumeRank(stage, model);
      // A win-back re-enters the path; like the win-back rule, it bypasses nothing (churned is not before Lead acquired).
      const skipped = stage?.kind === 'churned' ? [] : model.pathStages.slice(resumeRank, targetRank).map((s) => s.id);
      const kind = stage?.kind === 'churned' ? 'win_back' : skipped.length > 0 ? 'fastpass' : stage ? (stage.kind === 'recycle' ? 'return' : 'advance') : 'enter';
      return { ok: true, step: { ...base, to: target.id, kind, ruleId: 'admin_fastpass', reason: `Fastpass to ${target.label}`, reasonCode: null, skipped } };
    }
    case 'reopen': {
      const to = command.to ?? model.entry.stage;
      const refusal = reopenRefusal(state, to, model);
      if (refusal !== null) return { ok: false, refusal };
      return { ok: true, step: { ...base, to, kind: 'reopen', ruleId: 'admin_reopen', reason: `Reopened from dead end (${state.deadEndReason ?? 'no reason'})`, reasonCode: null } };
    }
  }
}

function pickRecycleRule(model: CompiledModel, stageId: string, reason: string, ruleId?: string): RecycleRule | undefined {
  if (ruleId) return model.recycleRules.find((r) => r.id === ruleId);
  const hasReason = (r: RecycleRule) => r.reasons.some((x) => x.code === reason);
  return model.recycleRules.find((r) => r.from.includes(stageId) && hasReason(r)) ?? model.recycleRules.find(hasReason) ?? model.recycleRules.find((r) => r.from.includes(stageId));
}
