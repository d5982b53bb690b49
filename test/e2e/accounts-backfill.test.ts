import { runBackfill, type BackfillOptions } from '../../src/app/backfill/run-backfill';
import { companyJourney, type LedgerEntry } from '../../src/core';
import { createLogger } from '../../src/main/logger';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

const INSTALL_DAY = Date.UTC(2026, 0, 5, 9);
const at = (day: number) => INSTALL_DAY - 100 * DAY + day * DAY;
const row = (r: LedgerEntry) => [r.fromStage, r.toStage, r.kind, new Date(r.occurredAt).toISOString(), r.reason];

/**
 * Issue 16: "backfill and reconcile produce the same rows". A company's contacts are scanned in hs_object_id order and
 * committed in units; the company's rows must not depend on where the unit boundaries fall.
 */
describe('backfill of accounts: a company gets the rows its whole journey gives, however its contacts fall into units', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness({ start: at(0) });
    h.sim.control.configureWebhooks(PORTAL, { settings: { targetUrl: `${h.backend.url}/webhooks/hubspot` }, subscriptions: {} });
  });
  afterEach(() => h.stop());

  const backfill = (options: BackfillOptions, on: PipelineHarness = h) =>
    runBackfill({ store: on.store, hubspot: on.backend.gateways.get(PORTAL)!, model: on.model, clock: on.clock, workerId: 'backfill', logger: createLogger('silent') }, PORTAL, options);
  const companyRows = (id: string, on: PipelineHarness = h) => on.store.ledger.history(PORTAL, { objectType: 'company', objectId: id });

  /**
   * Ana (the lowest id) clicks on day 10 and asks for a demo on day 20; Ben (a higher id) clicks on day 3. The account
   * is nurturing from day 3 because of Ben — a unit that holds only Ana would date it day 10.
   */
  async function companyOfTwo(on: PipelineHarness = h): Promise<{ companyId: string; ana: string; ben: string }> {
    const companyId = (await on.hubspot.crm.companies.basicApi.create({ properties: { name: 'Split Co' }, associations: [] })).id;
    const [ana, ben] = on.sim.control.seed(PORTAL, 'contacts', [{ email: 'ana@split.test' }, { email: 'ben@split.test' }]) as [string, string];
    for (const id of [ana, ben]) await on.hubspot.crm.associations.v4.basicApi.createDefault('contacts', id, 'companies', companyId);
    on.clock.set(at(3));
    on.activity({ kind: 'email_click', contactId: ben });
    on.clock.set(at(10));
    on.activity({ kind: 'email_click', contactId: ana });
    on.clock.set(at(20));
    on.activity({ kind: 'form_submission', contactId: ana, formKind: 'demo_request', formName: 'Demo request' });
    on.clock.set(INSTALL_DAY);
    return { companyId, ana, ben };
  }

  it('with one contact per commit unit, the company rows are those companyJourney derives over all its contacts, dated by the contact that caused each move', async () => {
    const { companyId, ana, ben } = await companyOfTwo();

    const summary = await backfill({ pageSize: 1, commitEvery: 1 });

    expect(summary.outcome).toBe('finished');
    const stored = await companyRows(companyId);
    const derived = companyJourney(
      {
        companyId,
        contacts: [
          { contactId: ana, rows: await h.history(ana) },
          { contactId: ben, rows: await h.history(ben) },
        ],
        deals: [],
      },
      h.model,
    );
    expect(stored.map(row)).toEqual(derived.map(row));
    expect(stored.map((r) => [r.toStage, new Date(r.occurredAt).toISOString()])).toEqual([
      ['lead_acquired', new Date(at(0)).toISOString()],
      ['nurturing', new Date(at(3)).toISOString()],
      ['mql', new Date(at(20)).toISOString()],
    ]);
    expect(stored[1]!.reason).toBe(`Contact ${ben} moved to Nurturing`);
    expect(stored[2]!.reason).toBe(`Contact ${ana} moved to MQL`);
  });

  it('one contact per unit gives the same company rows as all contacts in one unit', async () => {
    const { companyId } = await companyOfTwo();
    await backfill({ pageSize: 1, commitEvery: 1 });
    const whole = await startPipelineHarness({ start: at(0) });
    try {
      whole.sim.control.configureWebhooks(PORTAL, { settings: { targetUrl: `${whole.backend.url}/webhooks/hubspot` }, subscriptions: {} });
      const same = await companyOfTwo(whole);
      await backfill({ pageSize: 100, commitEvery: 100 }, whole);
      expect(same.companyId).toBe(companyId);
      expect((await companyRows(companyId)).map(row)).toEqual((await companyRows(same.companyId, whole)).map(row));
    } finally {
      await whole.stop();
    }
  });
});
