import { runBackfill, type BackfillOptions } from '../../src/app/backfill/run-backfill';
import { loadBackfillCursor } from '../../src/app/backfill/backfill-cursor';
import { loadWatermark } from '../../src/app/reconcile/reconcile-watermark';
import { createLogger } from '../../src/main/logger';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { WEBHOOK_PATH } from '../../src/contracts/backend-routes';

const INSTALL_DAY = Date.UTC(2026, 0, 5, 9);

/**
 * Onboarding: the portal has a past before our app is installed. Contacts and their activity are created while no
 * webhook reaches us; then `lifecycle backfill` must fill the ledger with that past, dated as it happened.
 */
describe('backfill: every existing contact replayed into the ledger and written back', () => {
  let h: PipelineHarness;
  const at = (day: number) => INSTALL_DAY - 100 * DAY + day * DAY;

  beforeEach(async () => {
    h = await startPipelineHarness({ start: at(0) });
    // Before the install nobody listens: the portal's history happens without webhooks.
    h.sim.control.configureWebhooks(PORTAL, { settings: { targetUrl: `${h.backend.url}${WEBHOOK_PATH}` }, subscriptions: {} });
    h.sim.control.resetStats(); // count only the backfill's calls, not the harness's provisioning
  });
  afterEach(() => h.stop());

  const backfill = (options: BackfillOptions = {}) =>
    runBackfill({ store: h.store, hubspot: h.backend.gateways.get(PORTAL)!, model: h.model, clock: h.clock, workerId: 'backfill', logger: createLogger('silent') }, PORTAL, options);
  const calls = (endpoint: string) => h.sim.control.stats().portals[String(PORTAL)]?.byEndpoint[endpoint] ?? 0;
  const historyOf = async (id: string) => (await h.history(id)).map((e) => [e.toStage, e.kind, new Date(e.occurredAt).toISOString()]);

  /** A contact with a past: created on day 0, clicked an email on day 3, asked for a demo on day 10. */
  function contactWithPast(email: string): string {
    h.clock.set(at(0));
    const [id] = h.sim.control.seed(PORTAL, 'contacts', [{ email }]);
    h.clock.set(at(3));
    h.activity({ kind: 'email_click', contactId: id! });
    h.clock.set(at(10));
    h.activity({ kind: 'form_submission', contactId: id!, formKind: 'demo_request', formName: 'Demo request' });
    return id!;
  }

  it('replays a contact’s activity history into the ledger with the dates it happened, and shows the result in HubSpot', async () => {
    const id = contactWithPast('ada@acme.test');
    h.clock.set(INSTALL_DAY);

    const summary = await backfill();

    expect(summary).toMatchObject({ outcome: 'finished', scanned: 1, transitions: 3 });
    expect(await historyOf(id)).toEqual([
      ['lead_acquired', 'enter', new Date(at(0)).toISOString()],
      ['nurturing', 'advance', new Date(at(3)).toISOString()],
      ['mql', 'advance', new Date(at(10)).toISOString()],
    ]);
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'mql', lc_previous_stage: 'nurturing', lifecyclestage: 'marketingqualifiedlead' });
  });

  it('a contact without activity enters at its creation date without a history read; one without an email stays out of the lifecycle and is not written', async () => {
    h.clock.set(at(5));
    const [quiet, anonymous] = h.sim.control.seed(PORTAL, 'contacts', [{ email: 'quiet@acme.test' }, { firstname: 'No email' }]);
    h.clock.set(INSTALL_DAY);

    const summary = await backfill();

    expect(summary).toMatchObject({ scanned: 2, historyReads: 0, writesQueued: 1 });
    expect(await historyOf(quiet!)).toEqual([['lead_acquired', 'enter', new Date(at(5)).toISOString()]]);
    expect(await h.history(anonymous!)).toEqual([]);
    expect((await h.contact(anonymous!))['lc_stage'] ?? '').toBe('');
    expect(calls('POST /contacts/batch/read')).toBe(0);
  });

  it('reads history in batches of at most 50, writes back in batches of 100, and scans by search pages', async () => {
    h.clock.set(at(1));
    const ids = h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 120 }, (_, i) => ({ email: `c${i}@acme.test` })),
    );
    h.clock.set(at(2));
    for (const id of ids) h.activity({ kind: 'email_click', contactId: id });
    h.clock.set(INSTALL_DAY);

    const summary = await backfill();

    expect(summary).toMatchObject({ scanned: 120, historyReads: 120, writesQueued: 120, writeCalls: 2 });
    expect(calls('POST /contacts/search')).toBe(1);
    expect(calls('POST /contacts/batch/read')).toBe(3); // 50 + 50 + 20
    expect(calls('POST /contacts/batch/update')).toBe(2); // 100 + 20
    expect(await h.contact(ids[119]!)).toMatchObject({ lc_stage: 'nurturing' });
  });

  it('a finished backfill is not repeated, and a forced re-run adds no ledger row twice and writes nothing HubSpot already shows', async () => {
    const id = contactWithPast('bob@acme.test');
    h.clock.set(INSTALL_DAY);
    await backfill();
    const rows = await h.store.ledger.count(PORTAL);
    const updatesBefore = calls('POST /contacts/batch/update');

    expect(await backfill()).toMatchObject({ outcome: 'already_finished', scanned: 0 });
    const rerun = await backfill({ restart: true });

    expect(rerun).toMatchObject({ outcome: 'finished', scanned: 1, transitions: 0, writesQueued: 0 });
    expect(await h.store.ledger.count(PORTAL)).toBe(rows);
    expect(calls('POST /contacts/batch/update')).toBe(updatesBefore);
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'mql' });
  });

  it('writes back only the records whose lc_* values HubSpot does not already show', async () => {
    h.clock.set(at(1));
    const ids = h.sim.control.seed(PORTAL, 'contacts', [{ email: 'a@acme.test' }, { email: 'b@acme.test' }, { email: 'c@acme.test' }]);
    h.clock.set(INSTALL_DAY);
    await backfill();
    h.sim.control.updateRecord(PORTAL, 'contacts', ids[1]!, { lc_stage: 'customer' }); // someone edited our property by hand

    const rerun = await backfill({ restart: true });

    expect(rerun).toMatchObject({ scanned: 3, writesQueued: 1 });
    expect(await h.contact(ids[1]!)).toMatchObject({ lc_stage: 'lead_acquired' });
  });

  it('resumes after a stop from the last committed page, and sets the reconcile watermark to where the backfill began', async () => {
    h.clock.set(at(1));
    const ids = h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 5 }, (_, i) => ({ email: `r${i}@acme.test` })),
    );
    h.clock.set(INSTALL_DAY);
    const stop = new AbortController();

    const first = await backfill({ pageSize: 2, commitEvery: 2, signal: stop.signal, onProgress: () => stop.abort() });

    expect(first).toMatchObject({ outcome: 'stopped', scanned: 2 });
    expect(await loadBackfillCursor(h.store, PORTAL)).toMatchObject({ lastId: ids[1], scanned: 2, finishedAt: null });
    expect(await loadWatermark(h.store, PORTAL)).toBeNull();

    h.clock.advance(60_000);
    const second = await backfill({ pageSize: 2, commitEvery: 2 });

    expect(second).toMatchObject({ outcome: 'finished', resumedAfter: ids[1], scanned: 3 });
    for (const id of ids) expect((await h.history(id)).map((e) => e.toStage)).toEqual(['lead_acquired']);
    expect(await loadWatermark(h.store, PORTAL)).toBe(INSTALL_DAY);
  });
});
