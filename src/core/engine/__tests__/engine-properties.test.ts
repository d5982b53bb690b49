/**
 * Properties of the engine that hold for every record, checked over generated states and facts: a year of random
 * activity, random stages (including ids the model does not know) and random HubSpot properties.
 */
import fc from 'fast-check';
import { EVENT_TYPES } from '../../model/criteria-schema';
import type { Decision } from '../decision';
import { compileModelOrThrow } from '../../model/compile-model';
import type { CompiledModel } from '../../model/model-types';
import { evaluate, MAX_STEPS_PER_DECISION } from '../evaluate';
import type { FactEvent, Facts } from '../facts';
import { TRANSITION_KINDS, type LifecycleState } from '../state';
import { days, defaultDocument, model, NOW } from './builders';

/**
 * 300 runs each from a fixed seed, so the suite is deterministic; for a deeper search set FC_RUNS (e.g. 20000) and
 * FC_SEED (any integer) — a failure prints its seed and path to replay it.
 */
const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 300), seed: Number(process.env['FC_SEED'] ?? 20260301) };
const YEAR = days(365);

/**
 * Instants over the last year. Half of them fall on whole days, as imported or batch-synced data does, so several
 * facts often share one instant (the case most likely to confuse ordering); a few lie slightly in the future.
 */
const instant = fc.oneof(
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
const anyStateArb: fc.Arbitrary<LifecycleState> = fc
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
function withRecycleContext(s: LifecycleState): LifecycleState {
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
const stateArb: fc.Arbitrary<LifecycleState> = anyStateArb.map(withRecycleContext);

/** A state the engine itself could have produced: a real stage, entered in the past. */
const reachableStateArb = fc
  .tuple(anyStateArb, fc.constantFrom(...model.stages.map((s) => s.id)), fc.integer({ min: NOW - YEAR, max: NOW }))
  .map(([s, stage, enteredAt]): LifecycleState => withRecycleContext({ ...s, stage, enteredAt }));

const decide = (state: LifecycleState, facts: Facts): Decision => evaluate(state, facts, model, NOW);

/**
 * A customised portal: HubSpot's stage only moves forward, Recycle A returns at once (no pause), Recycle B re-engagement
 * keeps the pause.
 */
const variant: CompiledModel = (() => {
  const doc = defaultDocument();
  doc.native.sync = 'forward_only';
  doc.recycle[0].pauseDays = 0;
  doc.recycle[1].reengagement.releasePause = false;
  return compileModelOrThrow(doc);
})();
const MODELS: Array<[string, CompiledModel]> = [
  ['the default model', model],
  ['a customised model', variant],
];

describe('engine properties (fast-check)', () => {
  it('is total: never throws, for any state (even an unknown stage) and any facts, including none', () => {
    fc.assert(
      fc.property(anyStateArb, fc.oneof(factsArb, fc.constant<Facts>({ properties: {}, events: [] })), (state, facts) => {
        const d = decide(state, facts);
        expect(d.state.objectId).toBe(state.objectId);
      }),
      RUNS,
    );
  });

  it('is deterministic: the same inputs give a deep-equal decision', () => {
    fc.assert(
      fc.property(anyStateArb, factsArb, (state, facts) => {
        expect(decide(structuredClone(state), structuredClone(facts))).toEqual(decide(state, facts));
      }),
      RUNS,
    );
  });

  it.each(MODELS)('is idempotent with %s: evaluating the resulting state with the same facts moves nothing and writes nothing', (_, m) => {
    fc.assert(
      fc.property(anyStateArb, factsArb, (state, facts) => {
        const first = evaluate(state, facts, m, NOW);
        const again = evaluate(first.state, facts, m, NOW);
        expect({ steps: again.steps, effects: again.effects }).toEqual({ steps: [], effects: [] });
        expect(again.state).toEqual(first.state);
      }),
      RUNS,
    );
  });

  it.each(MODELS)('settles with %s: no decision comes near the guard against rules chasing each other', (_, m) => {
    fc.assert(
      fc.property(anyStateArb, factsArb, (state, facts) => {
        // the longest honest history: enter, five advances, recycle, return, four advances, churn, win-back, …
        expect(evaluate(state, facts, m, NOW).steps.length).toBeLessThan(MAX_STEPS_PER_DECISION / 2);
      }),
      RUNS,
    );
  });

  it('does not depend on the order the events were read in', () => {
    fc.assert(
      fc.property(anyStateArb, factsArb, fc.func(fc.integer()), (state, facts, key) => {
        const shuffled = [...facts.events].sort((a, b) => key(a) - key(b));
        expect(decide(state, { ...facts, events: shuffled })).toEqual(decide(state, facts));
      }),
      RUNS,
    );
  });

  it('treats the dead end as absorbing: from a dead end, no facts ever move the record', () => {
    fc.assert(
      fc.property(anyStateArb, factsArb, (state, facts) => {
        const d = decide({ ...state, stage: 'dead_end', enteredAt: state.enteredAt ?? NOW - YEAR }, facts);
        expect(d.steps).toEqual([]);
        expect(d.state.stage).toBe('dead_end');
      }),
      RUNS,
    );
  });

  it('dates steps in chronological order, none after now', () => {
    fc.assert(
      fc.property(stateArb, factsArb, (state, facts) => {
        const times = decide(state, facts).steps.map((s) => s.at);
        times.forEach((at, i) => {
          expect(at).toBeLessThanOrEqual(NOW);
          if (i > 0) expect(at).toBeGreaterThanOrEqual(times[i - 1]!);
        });
      }),
      RUNS,
    );
  });

  it('chains steps: each step starts where the previous one ended, and the decision ends in the final state', () => {
    fc.assert(
      fc.property(stateArb, factsArb, (state, facts) => {
        const d = decide(state, facts);
        let at: string | null = state.stage;
        for (const step of d.steps) {
          expect(step.from).toBe(at);
          at = step.to;
        }
        expect(d.state.stage).toBe(at);
        expect(d.to).toBe(at);
        expect(d.from).toBe(state.stage);
      }),
      RUNS,
    );
  });

  it.each(MODELS)('writes one ledger row per step with %s, in order, with unique transition ids', (_, m) => {
    fc.assert(
      fc.property(stateArb, factsArb, (state, facts) => {
        const d = evaluate(state, facts, m, NOW);
        const rows = d.effects.flatMap((e) => (e.type === 'append_ledger' ? [e.entry] : []));
        expect(rows.map((r) => [r.fromStage, r.toStage, r.kind, r.occurredAt, r.skipped, r.ruleId])).toEqual(d.steps.map((s) => [s.from, s.to, s.kind, s.at, s.skipped, s.ruleId]));
        expect(new Set(rows.map((r) => r.transitionId)).size).toBe(rows.length);
      }),
      RUNS,
    );
  });

  it('records exactly the bypassed path stages on a Fastpass: those strictly between from and to (from a detour: from where it returns)', () => {
    const pathIds = model.pathStages.map((s) => s.id);
    const resumeIndex = (from: string): number => {
      const returnTo = model.recycleByStage.get(from)?.returnTo;
      return returnTo !== undefined ? pathIds.indexOf(returnTo) : pathIds.indexOf(from) + 1;
    };
    fc.assert(
      fc.property(reachableStateArb, factsArb, (state, facts) => {
        const d = decide(state, facts);
        for (const step of d.steps.filter((s) => s.kind === 'fastpass')) {
          expect(step.from).not.toBeNull();
          expect(step.skipped).toEqual(pathIds.slice(resumeIndex(step.from!), pathIds.indexOf(step.to)));
          expect(step.skipped.length).toBeGreaterThan(0);
        }
        for (const step of d.steps.filter((s) => s.kind !== 'fastpass')) expect(step.skipped).toEqual([]);
      }),
      RUNS,
    );
  });

  it('moves a customer only forward or into Churned: customers are never recycled or dead-ended', () => {
    fc.assert(
      fc.property(reachableStateArb, factsArb, (state, facts) => {
        const d = decide(state, facts);
        for (const step of d.steps) {
          if (step.from !== null && model.customerStages.has(step.from)) {
            expect(['advance', 'churn']).toContain(step.kind);
          }
        }
      }),
      RUNS,
    );
  });
});
