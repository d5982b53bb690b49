import { stockAt } from '../../src/core/ledger';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * The literature's worked example (docs/lifecycle-model.md) at full size through the whole product: 10,000 contacts
 * arrive, 7,000 click an email, 1,000 have a competitor's domain. HubSpot (the simulator's lc_stage values) and the
 * ledger (stockAt) must end with the same stocks: 2,000 Lead acquired, 7,000 Nurturing, 1,000 Dead end — under
 * HubSpot's real constraints (100-event webhook batches, 110 calls per 10 s, 100-input batch writes).
 */
describe('the literature example at full volume: 10,000 leads through webhooks, the worker and batched write-back', () => {
  let h: PipelineHarness;
  const calls: string[] = [];
  beforeAll(async () => {
    h = await startPipelineHarness({ onHubSpotCall: (call) => calls.push(call.ok ? call.operation : `${call.operation}:${call.status}`) });
  });
  afterAll(() => h.stop());

  it('ends with 2,000 Lead acquired, 7,000 Nurturing and 1,000 Dead end, in HubSpot and in the ledger', async () => {
    const started = h.clock.now();
    const people = Array.from({ length: 10_000 }, (_, i) => ({
      email: i < 1_000 ? `rival${i}@competitor.example` : `lead${i}@acme.test`,
      firstname: `Lead ${i}`,
    }));
    const ids = h.sim.control.seed(PORTAL, 'contacts', people);
    await h.settle();

    // 7,000 of the 9,000 prospects click a marketing email a day later.
    h.clock.advance(86_400_000);
    for (const id of ids.slice(1_000, 8_000)) h.activity({ kind: 'email_click', contactId: id });
    await h.settle();

    const inHubSpot = new Map<string, number>();
    for (const record of h.sim.state.portal(PORTAL).crm.all('contacts')) {
      const stage = record.properties.get('lc_stage') ?? '(none)';
      inHubSpot.set(stage, (inHubSpot.get(stage) ?? 0) + 1);
    }
    expect(Object.fromEntries(inHubSpot)).toEqual({ lead_acquired: 2_000, nurturing: 7_000, dead_end: 1_000 });

    const ledger = await h.store.ledger.entries(PORTAL, { objectType: 'contact' });
    const stock = stockAt(ledger, h.model, h.clock.now());
    const stocks = Object.fromEntries(stock.stages.filter((s) => s.stock > 0).map((s) => [s.stageId, s.stock]));
    expect(stocks).toEqual({ lead_acquired: 2_000, nurturing: 7_000, dead_end: 1_000 });
    expect(stock.records).toBe(10_000);
    // Every record entered once; 7,000 advanced and 1,000 were dead-ended: 18,000 transitions, none twice.
    expect(ledger).toHaveLength(18_000);
    expect(new Set(ledger.map((e) => e.transitionId)).size).toBe(18_000);

    // Batched: far fewer calls than records, and none refused by HubSpot's rate limit.
    const writes = calls.filter((c) => c === 'batch_update').length;
    expect(writes).toBeLessThanOrEqual(200);
    expect(calls.filter((c) => c.includes(':429'))).toEqual([]);
    // 17,000 records written in HubSpot through about 1 % as many calls.
    expect(calls.length).toBeLessThanOrEqual(700);
    // HubSpot's 110 calls per 10 s hold the whole run to about a minute of simulated time past the day of clicks.
    expect(h.clock.now() - started).toBeLessThan(86_400_000 + 5 * 60_000);
  }, 300_000);
});
