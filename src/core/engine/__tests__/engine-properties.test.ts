/**
 * Properties of the engine that hold for every record, checked over generated states and facts: a year of random
 * activity, random stages (including ids the model does not know) and random HubSpot properties.
 */
import fc from 'fast-check';
import type { Decision } from '../decision';
import { compileModelOrThrow } from '../../model/compile-model';
import type { CompiledModel } from '../../model/model-types';
import { evaluate, MAX_STEPS_PER_DECISION } from '../evaluate';
import type { Facts } from '../facts';
import type { LifecycleState } from '../state';
import { anyStateArb, factsArb, RUNS, stateArb, withRecycleContext, YEAR } from './arbitraries';
import { defaultDocument, model, NOW } from './builders';

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
