/**
 * Generators of engine inputs shared by the property tests: a year of random activity, random stages (including
 * ids the model does not know) and random HubSpot properties.
 */
import fc from 'fast-check';
import { EVENT_TYPES } from '../../model/criteria-schema';
import type { FactEvent, Facts } from '../facts';
import { TRANSITION_KINDS, type LifecycleState } from '../state';
import { days, model, NOW } from './builders';

/**
 * 300 runs each from a fixed seed, so the suite is deterministic; for a deeper search set FC_RUNS (e.g. 20000) and
 * FC_SEED (any integer) — a failure prints its seed and path to replay it.
 */
export const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 300), seed: Number(process.env['FC_SEED'] ?? 20260301) };
export const YEAR = days(365);

/**
 * Instants over the last year. Half of them fall on whole days, as imported or batch-synced data does, so several
 * facts often share one instant (the case most likely to confuse ordering); a few lie slightly in the future.
 */
export const instant = fc.oneof(
  fc.integer({ min: NOW - YEAR, max: NOW }),
  fc.integer({ min: 0, max: 365 }).map((d) => NOW - days(d)),
  fc.constantFrom(NOW - days(90), NOW - days(30), NOW - days(2)),
  fc.integer({ min: 1, max: days(3) }).map((ms) => NOW + ms),
);

const FORM_KINDS = ['newsletter', 'demo_request', 'quote_request', 'event_registration', 'contact_us', 'catalog_request'];
const LOST_REASONS = ['price', 'Lost to a competitor', 'timing', 'who knows', ''];
const DEAL_TYPES = ['newbusiness', 'upsell', 'renewal'];

const attrsFor = (type: FactEvent['type']): fc.Arbitrary<FactEvent['attrs']> => {
  switch (type) {
    case 'form_submitted':
      return fc.record({ formKind: fc.constantFrom(...FORM_KINDS) });
    case 'deal_lost':
      return fc.record({ dealId: fc.constantFrom('D-1', 'D-2'), reason: fc.constantFrom(...LOST_REASONS) }, { requiredKeys: ['dealId'] });
    case 'deal_won':
      return fc.record({ dealId: fc.constantFrom('D-1', 'D-2'), dealType: fc.constantFrom(...DEAL_TYPES) }, { requiredKeys: [] });
    case 'deal_created':
      return fc.record({ dealId: fc.constantFrom('D-1', 'D-2') });
    case 'nps_answered':
      return fc.record({ score: fc.integer({ min: 0, max: 10 }) });
    default:
      return fc.constant(undefined);
  }
};

const factEvent: fc.Arbitrary<FactEvent> = fc
  .tuple(fc.constantFrom(...EVENT_TYPES), instant)
  .chain(([type, at]) => attrsFor(type).map((attrs) => (attrs ? { type, at, attrs } : { type, at })));

const PROPERTY_VALUES: Record<string, ReadonlyArray<string | null>> = {
  email: ['jane@acme.test', 'spy@competitor.example', '', null],
  domain: ['acme.test', null],
  jobtitle: ['CTO', 'Student', 'retired teacher', null],
  hubspotscore: ['0', '55', '99', '100', '140', 'n/a', null],
  hs_lead_status: ['BAD_TIMING', 'NOT_DECISION_MAKER', 'OPEN', null],
  hs_is_target_account: ['true', 'false', null],
  lc_dead_end_request: ['student', 'not a reason', null],
  lc_churned: ['true', null],
  hs_email_hard_bounce_reason_enum: ['MAILBOX_FULL', null],
  lifecyclestage: [...model.nativeOrder, '153180554', '', null],
  hubspot_owner_id: ['42', null],
};

const properties: fc.Arbitrary<Facts['properties']> = fc.record(Object.fromEntries(Object.entries(PROPERTY_VALUES).map(([name, values]) => [name, fc.constantFrom(...values)])), {
  requiredKeys: [],
}) as fc.Arbitrary<Facts['properties']>;

const propertyChangedAt = fc.dictionary(fc.constantFrom(...Object.keys(PROPERTY_VALUES)), instant, { maxKeys: 5 });

export const factsArb: fc.Arbitrary<Facts> = fc.record(
  {
    properties,
    propertyChangedAt,
    events: fc.array(factEvent, { maxLength: 14 }),
    createdAt: fc.option(fc.integer({ min: NOW - days(400), max: NOW }), { nil: null }),
    observedAt: fc.constantFrom(NOW, NOW - 1000),
  },
  { requiredKeys: ['properties', 'events'] },
);

const STAGES = [...model.stages.map((s) => s.id), 'legacy_stage'];
const stageArb = fc.option(fc.constantFrom(...STAGES), { nil: null, freq: 6 });

/** Any combination of state fields, even ones the engine never produces (a recycle stage without its context). */
export const anyStateArb: fc.Arbitrary<LifecycleState> = fc
  .record({
    stage: stageArb,
    enteredAt: fc.option(instant, { nil: null, freq: 10 }),
    previousStage: fc.option(fc.constantFrom(...STAGES), { nil: null }),
    lastTransitionKind: fc.option(fc.constantFrom(...TRANSITION_KINDS), { nil: null }),
    recycleCount: fc.integer({ min: 0, max: 3 }),
    lastRecycle: fc.option(
      fc.record({
        ruleId: fc.constantFrom('recycle_a', 'recycle_b'),
        reason: fc.constantFrom('stalled', 'price', 'bad_timing'),
        at: instant,
        fromStage: fc.constantFrom('appointment', 'opportunity'),
        lostDealId: fc.option(fc.constant('D-1'), { nil: null }),
      }),
      { nil: null },
    ),
    marketingPausedUntil: fc.option(fc.integer({ min: NOW - YEAR, max: NOW + days(90) }), { nil: null }),
    deadEndReason: fc.option(fc.constantFrom('student', 'competitor'), { nil: null }),
    deadEndRulesWaived: fc.boolean(),
  })
  .map((s) => ({ objectType: 'contact' as const, objectId: '101', ...s, enteredAt: s.stage === null ? null : s.enteredAt }));

/** Keeps the engine's invariant: a record in a recycle stage carries the context of that recycle. */
export function withRecycleContext(s: LifecycleState): LifecycleState {
  const rule = s.stage === null ? undefined : model.recycleByStage.get(s.stage);
  if (!rule || s.enteredAt === null) return s;
  const context = s.lastRecycle ?? { reason: rule.defaultReason, lostDealId: null };
  return {
    ...s,
    recycleCount: Math.max(1, s.recycleCount),
    lastRecycle: { ...context, ruleId: rule.id, at: s.enteredAt, fromStage: rule.from[0]! },
  };
}

/** Random states, with any stage (also unknown ones), that keep the engine's invariants. */
export const stateArb: fc.Arbitrary<LifecycleState> = anyStateArb.map(withRecycleContext);
