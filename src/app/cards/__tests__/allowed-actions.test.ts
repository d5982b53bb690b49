/**
 * The contact card and the engine judge commands with the same guards: for any record the card shows, the card
 * offers exactly the commands the engine then accepts — no button that would be refused, no accepted command
 * missing from the card.
 */
import fc from 'fast-check';
import { compileModelOrThrow, decideCommand, evaluate, type Command, type CompiledModel, type Facts, type LifecycleState } from '../../../core';
import { anyStateArb, factsArb, RUNS, withRecycleContext, YEAR } from '../../../core/engine/__tests__/arbitraries';
import { daysAgo, defaultDocument, inStage, model, NOW, recycled } from '../../../core/engine/__tests__/builders';
import { allowedActions } from '../allowed-actions';

/** A portal whose Recycle A also starts from MQL, and whose two recycle rules share a reason code. */
const sharedReasons: CompiledModel = (() => {
  const doc = defaultDocument();
  doc.recycle[0].from = ['mql', 'appointment'];
  doc.recycle[1].reasons.push({ code: 'bad_timing', label: 'Bad timing for the deal' });
  return compileModelOrThrow(doc);
})();

const MODELS: Array<[string, CompiledModel]> = [
  ['the default model', model],
  ['a model with shared reason codes', sharedReasons],
];

const UNKNOWN = 'no_such_code';

/** A record the card shows: in a stage of the model (the card says "not synced" otherwise), with random history. */
const shownState = (m: CompiledModel): fc.Arbitrary<LifecycleState> =>
  fc
    .tuple(anyStateArb, fc.constantFrom(...m.stages.map((s) => s.id)), fc.integer({ min: NOW - YEAR, max: NOW }))
    .map(([s, stage, enteredAt]) => withRecycleContext({ ...s, stage, enteredAt }));

const accepted = (state: LifecycleState, facts: Facts, command: Command, m: CompiledModel): boolean => decideCommand(state, facts, command, m, NOW).refusal === null;

describe.each(MODELS)('the contact card offers exactly what the engine accepts (%s)', (_name, m) => {
  const recycleCodes = [...m.recycleReasons.map((r) => r.code), UNKNOWN];
  const deadEndCodes = [...m.deadEnd.reasons.map((r) => r.code), UNKNOWN];
  const targets = [...m.stages.map((s) => s.id), UNKNOWN];

  it('for every recycle reason, dead-end reason and Fastpass target, offered if and only if the engine accepts it', () => {
    fc.assert(
      fc.property(shownState(m), factsArb, (stored, facts) => {
        // The card reads the state the engine has settled; a command first brings the record up to date with its facts.
        const settled = evaluate(stored, facts, m, NOW).state;
        const offered = allowedActions(settled, m);
        expect(offered.recycleReasons.map((r) => r.code).sort()).toEqual(recycleCodes.filter((reason) => accepted(stored, facts, { type: 'recycle', reason }, m)).sort());
        expect(offered.deadEndReasons.map((r) => r.code).sort()).toEqual(deadEndCodes.filter((reason) => accepted(stored, facts, { type: 'dead_end', reason }, m)).sort());
        expect(offered.fastpassTargets.map((s) => s.id).sort()).toEqual(targets.filter((to) => accepted(stored, facts, { type: 'fastpass', to }, m)).sort());
      }),
      RUNS,
    );
  });

  it('offers each reason once, with the label of the first rule that names it', () => {
    fc.assert(
      fc.property(shownState(m), (state) => {
        const codes = allowedActions(state, m).recycleReasons.map((r) => r.code);
        expect(new Set(codes).size).toBe(codes.length);
        for (const reason of allowedActions(state, m).recycleReasons) expect(reason).toEqual(m.recycleReasons.find((r) => r.code === reason.code));
      }),
      RUNS,
    );
  });
});

describe('the contact card, by example', () => {
  it('at Appointment, lists the reasons of Recycle A (which starts there) before those of Recycle B', () => {
    const codes = allowedActions(inStage('appointment', daysAgo(10)), model).recycleReasons.map((r) => r.code);
    expect(codes.slice(0, 4)).toEqual(['stalled', 'bad_timing', 'no_budget_yet', 'not_decision_maker']);
    expect(codes).toContain('price');
  });

  it('out of Recycle B, offers Fastpass only from Nurturing on, where the detour returns', () => {
    expect(allowedActions(recycled('recycle_b', daysAgo(10)), model).fastpassTargets.map((s) => s.id)).toEqual(['nurturing', 'mql', 'appointment', 'opportunity', 'customer', 'expand']);
  });

  it('offers nothing but Fastpass forward to a customer, and nothing at all to a dead end', () => {
    expect(allowedActions(inStage('customer', daysAgo(10)), model)).toEqual({ recycleReasons: [], deadEndReasons: [], fastpassTargets: [expect.objectContaining({ id: 'expand' })] });
    expect(allowedActions(inStage('dead_end', daysAgo(10)), model)).toEqual({ recycleReasons: [], deadEndReasons: [], fastpassTargets: [] });
  });
});
