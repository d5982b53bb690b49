import fc from 'fast-check';
import { evaluate } from '../../engine/evaluate';
import { initialState } from '../../engine/state';
import { DAY_MS } from '../../engine/time';
import { alignNativeStages, type NativeStageOption } from '../align-native-stages';
import { compileModelOrThrow } from '../compile-model';
import { defaultModel, defaultModelDocument } from '../default-model';

const NOW = Date.UTC(2026, 2, 1, 12);
const RUNS = { numRuns: 200, seed: 20261123 };
const option = (value: string): NativeStageOption => ({ value, label: value });
const options = (...values: string[]) => values.map(option);
const HUBSPOT_DEFAULTS = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];

/** A new contact with an email enters Lead acquired (native: subscriber) while HubSpot already says `current`. */
function nativeEffectOnEntry(model = defaultModel(), current: string) {
  const decision = evaluate(initialState('contact', '1'), { properties: { email: 'a@b.test', lifecyclestage: current }, events: [], createdAt: NOW - DAY_MS }, model, NOW);
  return { effect: decision.effects.find((e) => e.type === 'set_native_stage') ?? null, effects: decision.effects };
}

describe("fitting the model to a portal's own lifecycle stages", () => {
  it("a portal with HubSpot's default stages changes nothing and raises no problem", () => {
    const { model, problems } = alignNativeStages(defaultModel(), options(...HUBSPOT_DEFAULTS));
    expect(problems).toEqual([]);
    expect(model.nativeOrder).toEqual(defaultModel().nativeOrder);
    expect(model.stages).toEqual(defaultModel().stages);
  });

  it("forward and backward follow the portal's order, not the order written in the model", () => {
    // HubSpot's defaults put subscriber before lead, so moving a lead to subscriber is backward: clear first.
    expect(nativeEffectOnEntry(defaultModel(), 'lead').effect).toMatchObject({ value: 'subscriber', clearFirst: true });
    // This portal lists lead first: the same move is forward there, a plain set.
    const portal = alignNativeStages(defaultModel(), options('lead', 'subscriber', ...HUBSPOT_DEFAULTS.slice(2))).model;
    expect(nativeEffectOnEntry(portal, 'lead').effect).toMatchObject({ value: 'subscriber', clearFirst: false });
  });

  it('a custom numeric stage is ranked where the portal puts it', () => {
    const document = structuredClone(defaultModelDocument) as Record<string, any>;
    document.native.order = [...HUBSPOT_DEFAULTS, '153180554'];
    const model = compileModelOrThrow(document);
    const aligned = alignNativeStages(model, options('subscriber', '153180554', ...HUBSPOT_DEFAULTS.slice(1))).model;
    expect(aligned.nativeRank.get('153180554')).toBe(1);
    expect(nativeEffectOnEntry(aligned, '153180554').effect).toMatchObject({ value: 'subscriber', clearFirst: true });
  });

  it('a stage mapped to an option the portal deleted keeps its lc_* writes, loses the native write, and is reported', () => {
    const withoutSubscriber = options(...HUBSPOT_DEFAULTS.filter((v) => v !== 'subscriber'));
    const { model, problems } = alignNativeStages(defaultModel(), withoutSubscriber);
    expect(problems).toEqual(['stage "lead_acquired" maps to lifecyclestage "subscriber", which this portal does not have: records in it keep HubSpot\'s lifecyclestage unchanged']);
    expect(model.stageById.get('lead_acquired')?.nativeStage).toBeNull();
    expect(model.pathStages[0]?.nativeStage).toBeNull();
    const { effect, effects } = nativeEffectOnEntry(model, '');
    expect(effect).toBeNull();
    expect(effects).toContainEqual(expect.objectContaining({ type: 'set_properties', properties: expect.objectContaining({ lc_stage: 'lead_acquired' }) }));
  });

  it('with native sync off, a missing option is not a problem', () => {
    const document = structuredClone(defaultModelDocument) as Record<string, any>;
    document.native.sync = 'off';
    expect(alignNativeStages(compileModelOrThrow(document), options('lead')).problems).toEqual([]);
  });

  it('a portal that returns no options at all disables every native write instead of failing', () => {
    const { model, problems } = alignNativeStages(defaultModel(), []);
    expect(model.stages.every((s) => s.nativeStage === null)).toBe(true);
    expect(problems).toHaveLength(defaultModel().stages.filter((s) => s.nativeStage !== null).length);
  });

  describe('for any portal (stages reordered, added with numeric ids, removed)', () => {
    const portalArb = fc
      .tuple(fc.subarray(HUBSPOT_DEFAULTS), fc.uniqueArray(fc.integer({ min: 1, max: 999_999_999 }).map(String), { maxLength: 3 }))
      .chain(([kept, custom]) => fc.shuffledSubarray([...kept, ...custom], { minLength: kept.length + custom.length }))
      .map((values) => options(...values));

    it("ranks exactly the portal's options in its order, writes only options it has, and reports every other stage", () => {
      fc.assert(
        fc.property(portalArb, (portal) => {
          const original = defaultModel();
          const { model, problems } = alignNativeStages(original, portal);
          expect(model.nativeOrder).toEqual(portal.map((o) => o.value));
          portal.forEach((o, i) => expect(model.nativeRank.get(o.value)).toBe(i));
          const offered = new Set(portal.map((o) => o.value));
          for (const stage of model.stages) {
            const before = original.stageById.get(stage.id)!;
            expect(stage.nativeStage).toBe(before.nativeStage !== null && offered.has(before.nativeStage) ? before.nativeStage : null);
            expect(model.stageById.get(stage.id)).toBe(stage);
          }
          expect(problems).toHaveLength(original.stages.filter((s) => s.nativeStage !== null && !offered.has(s.nativeStage)).length);
          expect(original).toEqual(defaultModel());
        }),
        RUNS,
      );
    });

    it('the engine never writes an option the portal lacks, and clears first exactly when the move is backward there', () => {
      fc.assert(
        fc.property(portalArb, fc.constantFrom('', 'subscriber', 'lead', 'customer', 'other', '153180554', 'gone'), (portal, current) => {
          const model = alignNativeStages(defaultModel(), portal).model;
          const { effect } = nativeEffectOnEntry(model, current);
          const offered = portal.map((o) => o.value);
          if (!offered.includes('subscriber') || current === 'subscriber') return expect(effect).toBeNull();
          const rank = offered.indexOf(current);
          expect(effect).toMatchObject({ value: 'subscriber', clearFirst: current !== '' && (rank < 0 || rank > offered.indexOf('subscriber')) });
        }),
        RUNS,
      );
    });
  });
});
