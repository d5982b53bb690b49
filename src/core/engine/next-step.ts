import type { Criterion } from '../model/criteria-schema';
import type { Reason } from '../model/model-schema';
import type { CompiledModel, RecycleRule } from '../model/model-types';
import { satisfaction, type CriterionContext, type Satisfaction } from './criteria';
import type { Step } from './decision';
import type { Facts } from './facts';
import type { LifecycleState, TransitionKind } from './state';
import { DAY_MS } from './time';

interface Candidate {
  step: Step;
  /** Lower wins among moves that happened at the same instant. */
  priority: number;
  /** Higher wins among equal priorities (the furthest Fastpass). */
  targetRank: number;
}

/** At one instant, exits that protect the business come before progress. */
const PRIORITY: Record<TransitionKind, number> = {
  reopen: 0,
  enter: 0,
  dead_end: 1,
  churn: 2,
  recycle: 3,
  reengage: 4,
  return: 5,
  win_back: 6,
  fastpass: 7,
  advance: 7,
};

/** Matches a free-form value (a HubSpot enum value, a lost reason) to a reason code of the taxonomy. */
export function matchReason(reasons: Reason[], value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const wanted = String(value).trim().toLowerCase();
  if (!wanted) return null;
  return reasons.find((r) => r.code === wanted || r.label.toLowerCase() === wanted)?.code ?? null;
}

/**
 * The earliest move the rules allow from the record's current state, or null when the record is at rest.
 * Moves are dated when their criterion became true, so a batch of old facts replays in the order it happened.
 * `factsAtEntry`: when the record enters the lifecycle in this decision, its facts as dated for the entry; the dead-end
 * rules read who the contact is (email domain, job title) from them, as known since the record was created.
 */
export function nextStep(state: LifecycleState, facts: Facts, model: CompiledModel, now: number, wakeTimes: number[], factsAtEntry?: Facts): Step | null {
  if (state.stage === null) return entryStep(facts, model, now, wakeTimes);
  const stage = model.stageById.get(state.stage);
  // An unknown stage (the model changed under a stored record) is left alone rather than guessed at.
  if (!stage || stage.kind === 'dead_end') return null;

  // Activity at the instant a record entered a detour (recycled, churned) is what led it there: it can neither lead it
  // straight back out nor carry it on from where a zero-day recycle pause returned it at that instant.
  const afterDetour = stage.kind === 'recycle' || stage.kind === 'churned' || state.lastRecycle?.at === state.enteredAt;
  const ctx: CriterionContext = { facts, stageEnteredAt: state.enteredAt, now, wakeTimes, strictlyAfterEntry: afterDetour };
  const candidates: Candidate[] = [];
  const add = (kind: TransitionKind, to: string, s: Satisfaction, fields: Partial<Step> & { ruleId: string; reason: string }) => {
    const at = Math.min(Math.max(s.at, state.enteredAt ?? -Infinity), now);
    // A record is recycled at most once at any instant, so rules that chase each other cannot cycle through a detour.
    if (kind === 'recycle' && at === state.lastRecycle?.at) return;
    candidates.push({
      step: { from: state.stage, to, kind, at, reasonCode: null, skipped: [], evidence: s.evidence, ...fields },
      priority: PRIORITY[kind],
      targetRank: model.pathRank.get(to) ?? -1,
    });
  };
  const check = (criterion: Criterion) => satisfaction(criterion, ctx);

  if ((model.deadEnd.from.has(stage.id) || stage.kind === 'recycle') && !state.deadEndRulesWaived) {
    const { reasonProperty, reasons, stage: deadEndStage } = model.deadEnd;
    const checkIdentity = (criterion: Criterion) => satisfaction(criterion, factsAtEntry ? { ...ctx, facts: factsAtEntry } : ctx);
    if (reasonProperty) {
      const code = matchReason(reasons, facts.properties[reasonProperty]);
      const s = code ? checkIdentity({ property: reasonProperty, op: 'exists' }) : null;
      if (code && s) add('dead_end', deadEndStage, s, { ruleId: `${reasonProperty}`, reason: `Marked dead end: ${labelOf(reasons, code)}`, reasonCode: code });
    }
    for (const rule of model.deadEnd.rules) {
      const s = checkIdentity(rule.when);
      if (s) add('dead_end', deadEndStage, s, { ruleId: rule.id, reason: `Dead end: ${labelOf(reasons, rule.reason)}`, reasonCode: rule.reason });
    }
  }

  if (model.churn?.from.has(stage.id)) {
    const s = check(model.churn.when);
    if (s) add('churn', model.churn.stage, s, { ruleId: 'churn', reason: model.churn.reason });
  }

  for (const rule of model.recycleRules) {
    if (!rule.from.includes(stage.id)) continue;
    const s = check(rule.when);
    if (!s) continue;
    const code = recycleReason(rule, s, facts);
    add('recycle', rule.stage, s, { ruleId: rule.id, reason: `${rule.label}: ${labelOf(rule.reasons, code)}`, reasonCode: code, lostDealId: lostDealId(s) });
  }

  if (stage.kind === 'recycle') addRecycleExits(state, model.recycleByStage.get(stage.id), ctx, add);

  for (const rule of model.rulesFrom.get(stage.id) ?? []) {
    const s = check(rule.when);
    if (s) add(rule.kind, rule.to, s, { ruleId: rule.id, reason: rule.reason, skipped: rule.skipped });
  }

  candidates.sort((a, b) => a.step.at - b.step.at || a.priority - b.priority || b.targetRank - a.targetRank);
  return candidates[0]?.step ?? null;
}

/**
 * Undated properties of a new record (its email, say) are dated at its creation, so its history replays in order.
 * The evaluation that brings a record into the lifecycle also uses them for the dead-end rules: a competitor's email
 * is known from the moment it made the record a lead, before any of its old clicks could make it an MQL. A value we
 * only know when we first observed (propertyObservedAt) is undated for HubSpot, so it is dated at the creation too.
 */
export function datedAtCreation(facts: Facts, now: number): Facts {
  if (facts.createdAt == null) return facts;
  const { propertyObservedAt: _observed, ...dated } = facts;
  return { ...dated, observedAt: Math.min(facts.createdAt, now) };
}

function entryStep(facts: Facts, model: CompiledModel, now: number, wakeTimes: number[]): Step | null {
  const datedFacts = datedAtCreation(facts, now);
  const s = satisfaction(model.entry.when, { facts: datedFacts, stageEnteredAt: null, now, wakeTimes });
  if (!s) return null;
  return {
    from: null,
    to: model.entry.stage,
    kind: 'enter',
    at: Math.min(s.at, now),
    ruleId: 'entry',
    reason: model.entry.reason,
    reasonCode: null,
    skipped: [],
    evidence: s.evidence,
  };
}

function addRecycleExits(
  state: LifecycleState,
  rule: RecycleRule | undefined,
  ctx: CriterionContext,
  add: (kind: TransitionKind, to: string, s: Satisfaction, fields: Partial<Step> & { ruleId: string; reason: string }) => void,
) {
  if (!rule || state.enteredAt === null) return;
  if (rule.reengagement) {
    const s = satisfaction(rule.reengagement.when, ctx);
    if (s) add('reengage', rule.reengagement.to, s, { ruleId: `${rule.id}_reengagement`, reason: 'Active again while recycled' });
  }
  const pausedUntil = state.marketingPausedUntil ?? state.enteredAt + rule.pauseDays * DAY_MS;
  if (pausedUntil <= ctx.now) {
    add(
      'return',
      rule.returnTo,
      { at: pausedUntil, evidence: [`recycle pause of ${rule.pauseDays} days ended`], events: [] },
      {
        ruleId: `${rule.id}_return`,
        reason: `Back to nurture after ${rule.label}`,
      },
    );
  } else {
    ctx.wakeTimes.push(pausedUntil);
  }
}

function recycleReason(rule: RecycleRule, s: Satisfaction, facts: Facts): string {
  for (const event of s.events) {
    const code = matchReason(rule.reasons, event.attrs?.['reason']);
    if (code) return code;
  }
  if (rule.reasonProperty) {
    const code = matchReason(rule.reasons, facts.properties[rule.reasonProperty]);
    if (code) return code;
  }
  return rule.defaultReason;
}

function lostDealId(s: Satisfaction): string | null {
  const lost = s.events.find((e) => e.type === 'deal_lost');
  const id = lost?.attrs?.['dealId'] ?? lost?.id;
  return id === undefined || id === null ? null : String(id);
}

function labelOf(reasons: Reason[], code: string): string {
  return reasons.find((r) => r.code === code)?.label ?? code;
}
