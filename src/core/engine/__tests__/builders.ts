/**
 * Test-data builders for the lifecycle engine: facts, events and states on a fixed clock.
 *
 * Everything is dated relative to NOW, a fixed instant; no test reads the wall clock. Dates read like the
 * specifications they belong to: `daysAgo(45)`, `NOW - hours(2)`.
 */
import { defaultModel, defaultModelDocument } from '../../model/default-model';
import type { CompiledModel } from '../../model/model-types';
import type { Decision, Effect, LedgerEntry } from '../decision';
import { evaluate } from '../evaluate';
import type { FactEvent, Facts } from '../facts';
import { initialState, type LifecycleState, type ObjectType, type RecycleContext } from '../state';
import { DAY_MS } from '../time';
import type { EventType } from '../../model/criteria-schema';

/** The fixed "now" of every engine test: 2026-03-01T12:00:00Z. */
export const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
export const HOUR_MS = 3_600_000;

export const days = (n: number): number => n * DAY_MS;
export const hours = (n: number): number => n * HOUR_MS;
export const daysAgo = (n: number): number => NOW - days(n);

/** The default model, compiled once. */
export const model: CompiledModel = defaultModel();

/** A deep copy of the default model document, to derive broken or customised models from. */
export function defaultDocument(): Record<string, any> {
  return structuredClone(defaultModelDocument) as Record<string, any>;
}

type Attrs = NonNullable<FactEvent['attrs']>;

/** One activity event. */
export function event(type: EventType, at: number, attrs?: Attrs, id?: string): FactEvent {
  return { type, at, ...(attrs ? { attrs } : {}), ...(id !== undefined ? { id } : {}) };
}

export const clickedEmail = (at: number) => event('email_clicked', at);
export const viewedPage = (at: number) => event('page_viewed', at);
export const submittedForm = (at: number, formKind: string) => event('form_submitted', at, { formKind });
export const bookedMeeting = (at: number) => event('meeting_booked', at);
export const createdDeal = (at: number, dealId = 'D-1') => event('deal_created', at, { dealId });
export const wonDeal = (at: number, dealId = 'D-1', dealType?: string) => event('deal_won', at, { dealId, ...(dealType ? { dealType } : {}) });
export const lostDeal = (at: number, dealId = 'D-1', reason?: string) => event('deal_lost', at, { dealId, ...(reason ? { reason } : {}) });
export const answeredNps = (at: number, score: number) => event('nps_answered', at, { score });
export const lostCustomer = (at: number) => event('customer_lost', at);

export interface FactsOptions {
  properties?: Record<string, string | null>;
  propertyChangedAt?: Record<string, number>;
  events?: FactEvent[];
  createdAt?: number | null;
  observedAt?: number;
}

/**
 * Facts of a known contact: an email address, created a year ago, read at NOW. Override anything; pass
 * `properties: { email: null }` for a record without contact information.
 */
export function facts(options: FactsOptions = {}): Facts {
  const properties: Record<string, string | null> = { email: 'jane@acme.test', ...options.properties };
  return {
    properties,
    events: options.events ?? [],
    createdAt: options.createdAt === undefined ? daysAgo(365) : options.createdAt,
    observedAt: options.observedAt ?? NOW,
    ...(options.propertyChangedAt ? { propertyChangedAt: options.propertyChangedAt } : {}),
  };
}

/** A contact that sits in `stage` since `enteredAt`, with no history beyond that. */
export function inStage(stage: string | null, enteredAt: number | null, overrides: Partial<LifecycleState> = {}): LifecycleState {
  return {
    ...initialState('contact', '101'),
    stage,
    enteredAt: stage === null ? null : enteredAt,
    ...overrides,
  };
}

export const newContact = (objectType: ObjectType = 'contact', objectId = '101'): LifecycleState => initialState(objectType, objectId);

/** A contact recycled from `fromStage` at `at` (lastRecycle, recycle count and pause as the engine leaves them). */
export function recycled(stage: 'recycle_a' | 'recycle_b', at: number, context: Partial<RecycleContext> = {}, pauseDays = stage === 'recycle_a' ? 30 : 90): LifecycleState {
  return inStage(stage, at, {
    previousStage: context.fromStage ?? (stage === 'recycle_a' ? 'appointment' : 'opportunity'),
    lastTransitionKind: 'recycle',
    recycleCount: 1,
    marketingPausedUntil: pauseDays > 0 ? at + days(pauseDays) : null,
    lastRecycle: {
      ruleId: stage,
      reason: stage === 'recycle_a' ? 'stalled' : 'no_decision',
      at,
      fromStage: stage === 'recycle_a' ? 'appointment' : 'opportunity',
      lostDealId: null,
      ...context,
    },
  });
}

/** Evaluates with the default model (or `m`) at NOW (or `now`). */
export function run(state: LifecycleState, f: Facts, now = NOW, m: CompiledModel = model): Decision {
  return evaluate(state, f, m, now);
}

/** The stages a decision walked through, e.g. ['lead_acquired', 'nurturing']. */
export const path = (d: Decision): string[] => d.steps.map((s) => s.to);

export function effectsOf<T extends Effect['type']>(d: Decision, type: T): Array<Extract<Effect, { type: T }>> {
  return d.effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
}

export const ledgerEntries = (d: Decision): LedgerEntry[] => effectsOf(d, 'append_ledger').map((e) => e.entry);

/** The lc_* properties written by the decision (fails the test when none were written). */
export function writtenProperties(d: Decision): Record<string, string> {
  const writes = effectsOf(d, 'set_properties');
  if (writes.length !== 1) throw new Error(`expected one set_properties effect, got ${writes.length}`);
  return writes[0]!.properties;
}
