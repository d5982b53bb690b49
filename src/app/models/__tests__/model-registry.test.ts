import pino from 'pino';
import { defaultModel, defaultModelDocument, evaluate, initialState, type CompiledModel } from '../../../core';
import { StoreHarness } from '../../../adapters/store/__tests__/support/store-harness';
import { ModelRegistry } from '../model-registry';
import { publishModelRevision } from '../publish-model-revision';
import { saveModelDraft } from '../save-model-draft';

const T0 = Date.UTC(2026, 2, 1, 12);
const PORTAL = 101;
type Doc = Record<string, any>;

function withMqlLabel(label: string): Doc {
  const doc = structuredClone(defaultModelDocument) as Doc;
  (doc.stages as Doc[]).find((s) => s.id === 'mql')!.label = label;
  return doc;
}

describe('the model registry (per-portal published revisions)', () => {
  const harness = new StoreHarness('sqlite');
  beforeAll(() => harness.start());
  beforeEach(() => harness.reset());
  afterAll(() => harness.stop());

  const registry = (fit?: (portalId: number, model: CompiledModel) => Promise<CompiledModel>, prepare?: (portalId: number, model: CompiledModel) => Promise<void>) =>
    new ModelRegistry({
      revisions: harness.store.modelRevisions,
      seedDocument: defaultModelDocument,
      fallback: () => defaultModel(),
      logger: pino({ level: 'silent' }),
      now: () => T0,
      ...(fit ? { fit } : {}),
      ...(prepare ? { prepare } : {}),
    });

  it('serves the configured model, without a revision, until the portal is loaded; loading seeds revision 1 from it', async () => {
    const models = registry();
    expect(models.current(PORTAL)).toBe(defaultModel());
    expect(models.current(PORTAL).revision).toBeUndefined();

    await models.refresh([PORTAL]);

    expect(models.current(PORTAL).revision).toBe(1);
    expect(models.current(PORTAL).document).toEqual(defaultModel().document);
    expect(await harness.store.modelRevisions.published(PORTAL)).toMatchObject({ revision: 1, author: null });
  });

  it('a published draft applies in this process at once, and in another process at its next refresh', async () => {
    const here = registry();
    const elsewhere = registry();
    await here.refresh([PORTAL]);
    await elsewhere.refresh([PORTAL]);
    await saveModelDraft({ store: harness.store }, PORTAL, { document: withMqlLabel('Marketing ready'), note: 'rename' }, 'ann@example.com', T0);
    await publishModelRevision({ store: harness.store, models: here }, PORTAL, 2, 'ann@example.com', T0 + 1);

    expect(here.current(PORTAL)).toMatchObject({ revision: 2 });
    expect(here.current(PORTAL).stageById.get('mql')?.label).toBe('Marketing ready');
    expect(elsewhere.current(PORTAL).revision).toBe(1);
    await elsewhere.refresh([PORTAL]);
    expect(elsewhere.current(PORTAL).revision).toBe(2);
  });

  it('a refresh with nothing published since recompiles nothing', async () => {
    const models = registry();
    await models.refresh([PORTAL]);
    const loaded = models.current(PORTAL);
    await models.refresh([PORTAL]);
    expect(models.current(PORTAL)).toBe(loaded);
  });

  it('fits each revision to the portal (its own lifecycle stages) before it runs', async () => {
    const models = registry(async (_portalId, model) => ({ ...model, name: `${model.name} (fitted)` }));
    await models.refresh([PORTAL]);
    expect(models.current(PORTAL).name).toBe(`${defaultModel().name} (fitted)`);
  });

  it('readies the portal (our HubSpot properties) for a revision before it runs, but not for a preview of a draft', async () => {
    const prepared: string[] = [];
    const models = registry(undefined, async (_portalId, model) => void prepared.push(model.name));
    await models.refresh([PORTAL]);
    expect(prepared).toEqual([defaultModel().name]);

    await models.fit(PORTAL, { ...defaultModel(), name: 'a draft' });
    expect(prepared).toEqual([defaultModel().name]);
  });

  it('the engine stamps the revision that decided a move on its ledger row', async () => {
    const models = registry();
    await models.refresh([PORTAL]);
    const decision = evaluate(initialState('contact', '1'), { properties: { email: 'a@b.test' }, events: [], createdAt: T0 - 1 }, models.current(PORTAL), T0);
    const rows = decision.effects.flatMap((e) => (e.type === 'append_ledger' ? [e.entry] : []));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.modelRevision === 1)).toBe(true);
  });

  it('a draft that fails the model schema is refused with each problem at its field path, and nothing is saved', async () => {
    const doc = withMqlLabel('');
    (doc.stages as Doc[]).find((s) => s.id === 'mql')!.slaDays = -3;
    const outcome = await saveModelDraft({ store: harness.store }, PORTAL, { document: doc, note: '' }, null, T0);
    expect(outcome.outcome).toBe('invalid');
    const index = (doc.stages as Doc[]).findIndex((s) => s.id === 'mql');
    expect(outcome.outcome === 'invalid' && outcome.issues.map((i) => i.path)).toEqual(expect.arrayContaining([`stages[${index}].label`, `stages[${index}].slaDays`]));
    expect(await harness.store.modelRevisions.draft(PORTAL)).toBeNull();
  });
});
