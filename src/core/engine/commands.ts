import { z } from 'zod';
import type { CompiledModel, RecycleRule } from '../model/model-types';
import type { Decision, Step } from './decision';
import { applyStep, evaluate, settle, type Provenance } from './evaluate';
import type { Facts } from './facts';
import type { LifecycleState } from './state';
import { isoTime } from './time';

/** What an admin or a workflow action can ask for explicitly; it goes through the same rules and ledger. */
export const CommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('recycle'), reason: z.string().min(1), ruleId: z.string().optional() }),
  z.strictObject({ type: z.literal('dead_end'), reason: z.string().min(1) }),
  z.strictObject({ type: z.literal('fastpass'), to: z.string().min(1) }),
  z.strictObject({ type: z.literal('reopen'), to: z.string().min(1).optional() }),
]);
export type Command = z.infer<typeof CommandSchema>;

type Planned = { ok: true; step: Step } | { ok: false; refusal: string };

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

function planCommand(state: LifecycleState, command: Command, model: CompiledModel, now: number): Planned {
  const stage = state.stage === null ? undefined : model.stageById.get(state.stage);
  const label = (id: string) => model.stageById.get(id)?.label ?? id;
  const base = { from: state.stage, at: now, skipped: [] as string[], evidence: ['admin command'] };
  const isCustomer = (id: string) => model.customerStages.has(id) || model.stageById.get(id)?.kind === 'churned';

  switch (command.type) {
    case 'recycle': {
      if (!stage) return { ok: false, refusal: 'The record is not in the lifecycle yet, so there is nothing to recycle.' };
      if (stage.kind === 'dead_end') return { ok: false, refusal: 'Dead end is terminal: reopen the record before recycling it.' };
      if (isCustomer(stage.id)) return { ok: false, refusal: `${stage.label} is a customer stage: customers churn, they are not recycled.` };
      if (stage.kind === 'recycle') return { ok: false, refusal: `Already in ${stage.label} since ${isoTime(state.enteredAt ?? now)}.` };
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
      if (stage?.kind === 'dead_end') return { ok: false, refusal: `Already a dead end (${state.deadEndReason ?? 'no reason'}).` };
      if (stage && isCustomer(stage.id)) {
        return { ok: false, refusal: `${stage.label} is a customer stage: customers are never marked dead end (churn handles lost customers).` };
      }
      return { ok: true, step: { ...base, to: model.deadEnd.stage, kind: 'dead_end', ruleId: 'admin_dead_end', reason: `Dead end: ${reason.label}`, reasonCode: reason.code } };
    }
    case 'fastpass': {
      const target = model.stageById.get(command.to);
      if (!target || target.kind !== 'path') return { ok: false, refusal: `"${command.to}" is not a stage on the path.` };
      if (stage?.kind === 'dead_end') return { ok: false, refusal: 'Dead end is terminal: reopen the record first.' };
      const targetRank = model.pathRank.get(target.id) ?? 0;
      let resumeRank: number;
      if (!stage) resumeRank = 0;
      else if (stage.kind === 'path') resumeRank = (model.pathRank.get(stage.id) ?? 0) + 1;
      else if (stage.kind === 'recycle') resumeRank = model.pathRank.get(model.recycleByStage.get(stage.id)?.returnTo ?? '') ?? 0;
      else resumeRank = 0; // churned: a win-back may land anywhere on the path
      if (stage?.kind === 'path' && targetRank < resumeRank) {
        return { ok: false, refusal: `${target.label} is not after ${stage.label}: Fastpass only moves forward (use recycle to go back).` };
      }
      if (stage?.id === target.id) return { ok: false, refusal: `Already in ${target.label}.` };
      // A win-back re-enters the path; like the win-back rule, it bypasses nothing (churned is not before Lead acquired).
      const skipped = stage?.kind === 'churned' ? [] : model.pathStages.slice(resumeRank, targetRank).map((s) => s.id);
      const kind = stage?.kind === 'churned' ? 'win_back' : skipped.length > 0 ? 'fastpass' : stage ? (stage.kind === 'recycle' ? 'return' : 'advance') : 'enter';
      return { ok: true, step: { ...base, to: target.id, kind, ruleId: 'admin_fastpass', reason: `Fastpass to ${label(target.id)}`, reasonCode: null, skipped } };
    }
    case 'reopen': {
      if (stage?.kind !== 'dead_end') return { ok: false, refusal: 'Only a dead-end record can be reopened.' };
      const to = command.to ?? model.entry.stage;
      if (model.stageById.get(to)?.kind !== 'path') return { ok: false, refusal: `"${to}" is not a stage on the path.` };
      return { ok: true, step: { ...base, to, kind: 'reopen', ruleId: 'admin_reopen', reason: `Reopened from dead end (${state.deadEndReason ?? 'no reason'})`, reasonCode: null } };
    }
  }
}

function pickRecycleRule(model: CompiledModel, stageId: string, reason: string, ruleId?: string): RecycleRule | undefined {
  if (ruleId) return model.recycleRules.find((r) => r.id === ruleId);
  const hasReason = (r: RecycleRule) => r.reasons.some((x) => x.code === reason);
  return model.recycleRules.find((r) => r.from.includes(stageId) && hasReason(r)) ?? model.recycleRules.find(hasReason) ?? model.recycleRules.find((r) => r.from.includes(stageId));
}
