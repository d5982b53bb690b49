import { compileModelOrThrow, defaultModelDocument, type CompiledModel } from '../../src/core';
import { runReplay } from '../../src/app/replay/run-replay';
import { renderComparisonTable } from '../../src/app/replay/render-comparison';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/** The what-if: a stricter marketing team, for whom only a lead score of 100 makes an MQL (forms no longer do). */
function stricterModel(): CompiledModel {
  const document = structuredClone(defaultModelDocument) as { name: string; stages: Array<{ id: string; transitions?: Array<{ to: string; when: unknown; reason: string }> }> };
  document.name = 'Stricter MQL';
  const nurturing = document.stages.find((s) => s.id === 'nurturing')!;
  nurturing.transitions = [{ to: 'mql', when: { score: { property: 'hubspotscore', gte: 100 } }, reason: 'Reached the lead score threshold' }];
  return compileModelOrThrow(document);
}

describe('replay: the funnel under another model, side by side with the ledger, without writing anything', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  async function portalWithHistory() {
    const start = h.clock.now();
    const asked = await h.createContact({ email: 'ada@acme.test' });
    const clicked = await h.createContact({ email: 'bob@acme.test' });
    await h.settle();
    h.clock.advance(60_000);
    h.activity({ kind: 'email_click', contactId: asked });
    h.activity({ kind: 'email_click', contactId: clicked });
    await h.settle();
    h.clock.advance(DAY);
    h.activity({ kind: 'form_submission', contactId: asked, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();
    h.clock.advance(DAY);
    return { period: { start, end: h.clock.now() } };
  }

  it('shows, per stage, flow, stock and CVR of the current ledger next to the what-if, with the deltas', async () => {
    const { period } = await portalWithHistory();

    const result = await runReplay({ store: h.store, hubspot: h.backend.gateways.get(PORTAL)! }, PORTAL, { current: h.model, whatIf: stricterModel() }, period);

    const stage = (id: string) => result.stages.find((s) => s.stageId === id)!;
    expect(result).toMatchObject({ contacts: 2, model: { whatIf: 'Stricter MQL' }, ledgerRows: { current: 5, whatIf: 4 } });
    expect(stage('mql')).toMatchObject({ flowIn: { current: 1, whatIf: 0, delta: -1 }, ending: { current: 1, whatIf: 0, delta: -1 } });
    expect(stage('nurturing')).toMatchObject({ flowIn: { current: 2, whatIf: 2, delta: 0 }, ending: { current: 1, whatIf: 2, delta: 1 }, cvr: { current: 0.5, whatIf: 0, delta: -0.5 } });
    const table = renderComparisonTable(result.stages, period);
    expect(table).toContain('Nurturing');
    expect(table).toContain('-50.0 pt');
  });

  it('evaluates from the store alone: no HubSpot call at all when the store holds every property the what-if reads, and writes nothing', async () => {
    const { period } = await portalWithHistory();
    const rows = await h.store.ledger.count(PORTAL);
    h.sim.control.resetStats();

    const result = await runReplay({ store: h.store, hubspot: h.backend.gateways.get(PORTAL)! }, PORTAL, { current: h.model, whatIf: stricterModel() }, period);

    expect(result).toMatchObject({ contacts: 2, hubspotReads: 0, unreadable: null });
    const calls = h.sim.control.stats().portals[String(PORTAL)]?.byEndpoint ?? {};
    expect(calls).toEqual({});
    expect(await h.store.ledger.count(PORTAL)).toBe(rows);
    expect(await h.store.outbox.pendingCount(PORTAL)).toBe(0);
  });

  it('the pipeline keeps what the model reads with each contact, dated where HubSpot told us when it was set', async () => {
    const start = h.clock.now();
    const id = await h.createContact({ email: 'ada@acme.test', jobtitle: 'CTO' });
    await h.settle();
    h.clock.advance(DAY);
    h.activity({ kind: 'form_submission', contactId: id, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();

    const stored = new Map(((await h.store.recordProperties.getMany(PORTAL, [{ objectType: 'contact', objectId: id }])).get(`contact:${id}`) ?? []).map((p) => [p.property, p]));
    expect(stored.get('email')).toMatchObject({ value: 'ada@acme.test' });
    expect(stored.get('jobtitle')).toMatchObject({ value: 'CTO' });
    expect(stored.get('hubspotscore')?.value ?? null).toBeNull();
    expect(stored.get('recent_conversion_event_name')).toMatchObject({ value: 'Demo request' });
    // Dated by the webhook's property change that announced the form.
    const formDate = stored.get('recent_conversion_date');
    expect(formDate?.value).not.toBeNull();
    expect(formDate?.setAt).toBeGreaterThanOrEqual(start + DAY);
    expect(stored.has('lastmodifieddate')).toBe(false);
  });

  it('reads from HubSpot, in batches, only for a property the what-if reads and the store does not hold', async () => {
    const start = h.clock.now();
    const software = await h.createContact({ email: 'ada@acme.test', company: 'Software Inc' });
    const retail = await h.createContact({ email: 'bob@acme.test', company: 'Retail Ltd' });
    await h.settle();
    h.clock.advance(60_000);
    h.activity({ kind: 'email_click', contactId: software });
    h.activity({ kind: 'email_click', contactId: retail });
    await h.settle();
    h.clock.advance(DAY);
    // The what-if makes an MQL of anyone at Software Inc: `company`, which the published model never read.
    const document = structuredClone(defaultModelDocument) as { name: string; stages: Array<{ id: string; transitions?: unknown[] }> };
    document.name = 'Software Inc is an MQL';
    document.stages.find((s) => s.id === 'nurturing')!.transitions = [{ to: 'mql', when: { property: 'company', op: 'equals', value: 'Software Inc' }, reason: 'At Software Inc' }];
    h.sim.control.resetStats();

    const result = await runReplay(
      { store: h.store, hubspot: h.backend.gateways.get(PORTAL)! },
      PORTAL,
      { current: h.model, whatIf: compileModelOrThrow(document) },
      { start, end: h.clock.now() },
    );

    expect(h.sim.control.stats().portals[String(PORTAL)]?.byEndpoint).toEqual({ 'POST /contacts/batch/read': 1 });
    expect(result).toMatchObject({ contacts: 2, hubspotReads: 1, unreadable: null });
    expect(result.stages.find((s) => s.stageId === 'mql')).toMatchObject({ flowIn: { current: 0, whatIf: 1 } });
  });
});
