import fc from 'fast-check';
import { defaultModelDocument } from '../default-model';
import { diffModelDocuments } from '../model-diff';

const RUNS = { numRuns: 100, seed: 20261203 };
type Doc = Record<string, any>;
const clone = () => structuredClone(defaultModelDocument) as Doc;

describe('the diff between two model revisions', () => {
  it('two equal documents have no changes', () => {
    expect(diffModelDocuments(clone(), clone())).toEqual([]);
  });

  it('a stage is named by its id, so an SLA edit reads stages[mql].slaDays', () => {
    const after = clone();
    const mql = (after.stages as Doc[]).find((s) => s.id === 'mql')!;
    const before = mql.slaDays as number;
    mql.slaDays = before + 2;
    expect(diffModelDocuments(clone(), after)).toEqual([{ path: 'stages[mql].slaDays', kind: 'changed', before, after: before + 2 }]);
  });

  it('inserting a reason shows one addition, not every later reason as changed', () => {
    const after = clone();
    (after.deadEnd.reasons as Doc[]).unshift({ code: 'duplicate', label: 'Duplicate' });
    expect(diffModelDocuments(clone(), after)).toEqual([{ path: 'deadEnd.reasons[duplicate]', kind: 'added', after: { code: 'duplicate', label: 'Duplicate' } }]);
  });

  it('a word list is compared whole, and a removed field says what it was', () => {
    const before = { list: ['a', 'b'], gone: 1 };
    expect(diffModelDocuments(before, { list: ['a', 'c'] })).toEqual([
      { path: 'list', kind: 'changed', before: ['a', 'b'], after: ['a', 'c'] },
      { path: 'gone', kind: 'removed', before: 1 },
    ]);
  });

  it('for any edit of one stage label, the diff names exactly that label', () => {
    const ids = (clone().stages as Doc[]).map((s) => s.id as string);
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.string({ minLength: 1, maxLength: 20 }), (id, label) => {
        const after = clone();
        const stage = (after.stages as Doc[]).find((s) => s.id === id)!;
        fc.pre(stage.label !== label);
        const was = stage.label as string;
        stage.label = label;
        expect(diffModelDocuments(clone(), after)).toEqual([{ path: `stages[${id}].label`, kind: 'changed', before: was, after: label }]);
      }),
      RUNS,
    );
  });
});
