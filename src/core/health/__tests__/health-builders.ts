/**
 * Test data for account health: contacts with ledger histories, deals, answers and signals on a fixed clock.
 * Everything is dated relative to NOW; no test reads the wall clock.
 */
import type { LedgerEntry } from '../../engine/decision';
import { initialState, type LifecycleState, type ObjectType, type TransitionKind } from '../../engine/state';
import { DAY_MS } from '../../engine/time';
import { compileModelOrThrow } from '../../model/compile-model';
import { defaultModel, defaultModelDocument } from '../../model/default-model';
import type { HealthComponent } from '../../model/model-schema';
import type { CompiledModel } from '../../model/model-types';
import type { AccountHealthInput, Deal, RecordLifecycle, SatisfactionAnswer } from '../health-input';
import type { AccountHealth, HealthComponentScore } from '../health-output';

/** 2026-03-01T12:00:00Z, the engine tests' NOW. */
export const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
export const daysAgo = (n: number): number => NOW - n * DAY_MS;

export const model: CompiledModel = defaultModel();

/** The default model with other health settings (weights, bands, …). */
export function modelWithHealth(health: Record<string, unknown>): CompiledModel {
  const doc = structuredClone(defaultModelDocument) as { health: Record<string, unknown> };
  doc.health = { ...doc.health, ...health };
  return compileModelOrThrow(doc);
}

function entry(objectType: ObjectType, objectId: string, from: string | null, to: string, at: number, kind: TransitionKind): LedgerEntry {
  return {
    transitionId: `${objectId}-${to}-${at}`,
    objectType,
    objectId,
    fromStage: from,
    toStage: to,
    kind,
    skipped: [],
    ruleId: 'test',
    reason: 'test',
    reasonCode: null,
    evidence: [],
    occurredAt: at,
    source: 'rules',
    actor: null,
  };
}

/**
 * A record that walked through `steps` ([stage, instant] in time order): its ledger rows and its state after the
 * last step, as the engine would have left them.
 */
export function journey(id: string, steps: Array<[string, number]>, objectType: ObjectType = 'contact'): RecordLifecycle {
  const history: LedgerEntry[] = [];
  let state: LifecycleState = initialState(objectType, id);
  for (const [stage, at] of steps) {
    const kind: TransitionKind = state.stage === null ? 'enter' : stage === 'dead_end' ? 'dead_end' : stage === 'churned' ? 'churn' : stage.startsWith('recycle') ? 'recycle' : 'advance';
    history.push(entry(objectType, id, state.stage, stage, at, kind));
    state = { ...state, stage, enteredAt: at, previousStage: state.stage, lastTransitionKind: kind };
  }
  return { state, history };
}

/** A contact sitting in `stage` since `since`, entered straight there. */
export const contact = (id: string, stage: string, since: number): RecordLifecycle => journey(id, [[stage, since]]);

export function deal(id: string, status: Deal['status'], options: Partial<Omit<Deal, 'id' | 'status'>> = {}): Deal {
  const createdAt = options.createdAt ?? daysAgo(300);
  return {
    id,
    status,
    createdAt,
    closedAt: options.closedAt !== undefined ? options.closedAt : status === 'open' ? null : createdAt + 30 * DAY_MS,
    dealType: options.dealType !== undefined ? options.dealType : 'newbusiness',
    amount: options.amount !== undefined ? options.amount : null,
  };
}

export const nps = (score: number, at = daysAgo(10)): SatisfactionAnswer => ({ kind: 'nps', score, at });
export const csat = (score: number, at = daysAgo(10)): SatisfactionAnswer => ({ kind: 'csat', score, at });

/** A component of a result by id (fails the test when it is missing). */
export function component(health: AccountHealth, id: HealthComponent): HealthComponentScore {
  const found = health.components.find((c) => c.id === id);
  if (!found) throw new Error(`no component ${id}`);
  return found;
}

export type Account = AccountHealthInput;
