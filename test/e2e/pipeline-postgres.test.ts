import { StoreHarness } from '../../src/adapters/store/__tests__/support/store-harness';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * The core end-to-end flow on PostgreSQL: the same product as lifecycle-flow.test.ts, with the store in a fresh
 * schema of the test database (named in the URL as `?schema=`), dropped afterwards.
 */
describe('the pipeline end to end on PostgreSQL', () => {
  const database = new StoreHarness('postgres');
  let h: PipelineHarness;
  beforeAll(() => database.start());
  afterAll(() => database.stop());
  beforeEach(async () => {
    await database.reset();
    const url = new URL(database.url);
    url.searchParams.set('schema', database.options.pgSchema!);
    h = await startPipelineHarness({ databaseUrl: url.toString() });
  });
  afterEach(() => h.stop());

  it('stores everything in the schema the URL names', async () => {
    expect(h.store.dialect).toBe('postgres');
    const id = await h.createContact({ email: 'ada@acme.test' });
    await h.settle();
    const rows = await database.db.selectFrom('ledger').select(['object_id', 'to_stage']).execute();
    expect(rows).toEqual([{ object_id: id, to_stage: 'lead_acquired' }]);
  });

  it('a lead advances: created → Lead acquired, clicked email → Nurturing, demo request → MQL', async () => {
    const id = await h.createContact({ email: 'bob@acme.test' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'lead_acquired', lifecyclestage: 'subscriber' });
    h.clock.advance(60_000);
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    h.clock.advance(DAY);
    h.activity({ kind: 'form_submission', contactId: id, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'mql', lifecyclestage: 'marketingqualifiedlead', lc_previous_stage: 'nurturing' });
    expect((await h.history(id)).map((e) => [e.fromStage, e.toStage])).toEqual([
      [null, 'lead_acquired'],
      ['lead_acquired', 'nurturing'],
      ['nurturing', 'mql'],
    ]);
  });

  it('a lost deal recycles an Opportunity to Recycle B, and HubSpot goes back to lead by a clear then a set', async () => {
    const id = await h.createContact({ email: 'dee@acme.test' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id, dealname: 'Dee deal' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'opportunity', lifecyclestage: 'opportunity' });
    h.clock.advance(10 * DAY);
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'Went with a competitor' });
    await h.settle();

    expect(await h.contact(id)).toMatchObject({ lc_stage: 'recycle_b', lifecyclestage: 'lead', lc_recycle_reason: 'lost_to_competitor', lc_recycle_count: '1' });
    const stageValues = h.sim.state
      .portal(PORTAL)
      .crm.require('contacts', id)
      .history.get('lifecyclestage')!
      .map((v) => v.value);
    expect(stageValues.slice(0, 3)).toEqual(['lead', '', 'opportunity']);
    const recycles = (await h.history(id)).filter((e) => e.kind === 'recycle');
    expect(recycles).toHaveLength(1);
    expect(recycles[0]).toMatchObject({ fromStage: 'opportunity', toStage: 'recycle_b', reasonCode: 'lost_to_competitor' });
    expect(await h.store.outbox.pendingCount(PORTAL)).toBe(0);
  });

  it('a competitor is a dead end at once and stays one whatever it does later', async () => {
    const id = await h.createContact({ email: 'gus@competitor.example' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'dead_end', lc_dead_end_reason: 'competitor', lifecyclestage: 'other' });
    h.activity({ kind: 'form_submission', contactId: id, formKind: 'demo_request' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'dead_end' });
    expect((await h.history(id)).map((e) => e.kind)).toEqual(['enter', 'dead_end']);
  });

  it('a duplicated and reordered webhook stream records each transition once', async () => {
    h.sim.control.setWebhookChaos(PORTAL, { duplicate: true, reorder: true });
    const id = await h.createContact({ email: 'hal@acme.test' });
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    const history = await h.history(id);
    expect(history.map((e) => e.toStage)).toEqual(['lead_acquired', 'nurturing']);
    expect(new Set(history.map((e) => e.transitionId)).size).toBe(history.length);
  });
});
