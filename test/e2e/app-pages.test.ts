import { AuditPageViewSchema, FunnelPageViewSchema, pageApiPaths, SyncHealthViewSchema, withPageClaims } from '../../src/contracts/page-api';
import { eventually, signedFetch } from '../support/hubspot-fetch';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

const SECRET = `sim-secret-${PORTAL}`;
const ADMIN = { portalId: PORTAL, userId: 7, userEmail: 'admin@acme.test' };

/**
 * The app pages' backend (issue 14) through the whole product: the simulator, the backend's signed /pages routes and a
 * real store. Requests are made as hubspot.fetch delivers them: the page's claims in the query, v3-signed.
 */
describe('app pages: Funnel, Sync health and Audit through signed requests', () => {
  let h: PipelineHarness;
  let contact: string;
  beforeAll(async () => {
    h = await startPipelineHarness();
    contact = await h.createContact({ email: 'ada@acme.test' });
    await h.createContact({ email: 'bob@acme.test' });
    await h.settle();
  });
  afterAll(() => h.stop());

  const get = (path: string, params: Record<string, string | number | undefined> = {}, claims = ADMIN) =>
    signedFetch(h.backend.url, withPageClaims(path, claims, params), { clientSecret: SECRET, timestamp: h.clock.now() });
  const post = (path: string) => signedFetch(h.backend.url, withPageClaims(path, ADMIN), { method: 'POST', body: {}, clientSecret: SECRET, timestamp: h.clock.now() });

  it('answers the Funnel page with the flow/stock table and the daily stock series of the period', async () => {
    const today = new Date(h.clock.now()).toISOString().slice(0, 10);
    const response = await get(pageApiPaths.funnel(), { from: today, to: today });

    expect(response.status).toBe(200);
    const view = FunnelPageViewSchema.parse(response.body);
    expect(view.period).toEqual({ from: `${today}T00:00:00.000Z`, to: new Date(Date.parse(today) + 86_400_000).toISOString() });
    const entered = view.rows.filter((row) => row.line === 'stage').reduce((sum, row) => sum + row.flowIn, 0);
    expect(entered).toBeGreaterThanOrEqual(2);
    expect(view.stockSeries.points).toHaveLength(2);
  });

  it('charts a period longer than 92 days weekly from its start, each point the same stock as that day in a daily chart', async () => {
    const today = Date.parse(new Date(h.clock.now()).toISOString().slice(0, 10));
    const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
    const from = today - 364 * 86_400_000;

    const year = FunnelPageViewSchema.parse((await get(pageApiPaths.funnel(), { from: iso(from), to: iso(today) })).body);

    const at = year.stockSeries.points.map((point) => Date.parse(point.at));
    expect(at).toHaveLength(54);
    expect(at.slice(0, 53).every((t, i) => t === from + i * 7 * 86_400_000)).toBe(true);
    expect(at[53]).toBe(today + 86_400_000);
    for (const point of [year.stockSeries.points[0]!, year.stockSeries.points[52]!]) {
      const day = FunnelPageViewSchema.parse((await get(pageApiPaths.funnel(), { from: point.at.slice(0, 10), to: point.at.slice(0, 10) })).body);
      expect(day.stockSeries.points[0]!.stock).toEqual(point.stock);
    }
    const month = FunnelPageViewSchema.parse((await get(pageApiPaths.funnel(), { from: iso(today - 29 * 86_400_000), to: iso(today) })).body);
    expect(month.stockSeries.points).toHaveLength(31);
  });

  it('refuses a reversed period with the reason, as a 400', async () => {
    const response = await get(pageApiPaths.funnel(), { from: '2026-02-01', to: '2026-01-01' });
    expect(response.status).toBe(400);
  });

  it('answers the Audit page with the portal’s transitions, newest first, and pages on with the cursor', async () => {
    const first = AuditPageViewSchema.parse((await get(pageApiPaths.audit(), { limit: 1 })).body);
    expect(first.entries).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = AuditPageViewSchema.parse((await get(pageApiPaths.audit(), { limit: 1, cursor: first.nextCursor ?? undefined })).body);
    expect(second.entries).toHaveLength(1);
    expect(second.entries[0]!.transitionId).not.toBe(first.entries[0]!.transitionId);

    const history = await h.history(contact);
    const mine = AuditPageViewSchema.parse((await get(pageApiPaths.audit(), { limit: 200, kind: history[0]!.kind })).body);
    expect(mine.entries.map((e) => e.transitionId)).toContain(history[0]!.transitionId);
    expect(mine.entries.every((e) => e.kind === history[0]!.kind)).toBe(true);
  });

  it('refuses a cursor it did not hand out and an unknown kind, as 400s', async () => {
    expect((await get(pageApiPaths.audit(), { cursor: 'bm90LWEtY3Vyc29y' })).status).toBe(400);
    expect((await get(pageApiPaths.audit(), { kind: 'teleport' })).status).toBe(400);
  });

  it('shows sync health: queues, last webhook, dead letters; a dead letter is re-queued from the page, a quarantined event is not', async () => {
    const now = h.clock.now();
    await h.store.inbox.insertMany(
      PORTAL,
      [
        {
          dedupKey: 'dl-1',
          eventId: 'dl-1',
          subscriptionType: 'contact.propertyChange',
          objectType: 'contact',
          objectId: contact,
          propertyName: 'email',
          propertyValue: 'x',
          changeSource: 'CRM',
          occurredAt: now,
          attemptNumber: 0,
          payload: '{}',
        },
      ],
      now,
    );
    const claimed = await h.store.inbox.claim({ workerId: 'test', limit: 10, leaseMs: 60_000, now });
    await h.store.inbox.deadLetter(
      PORTAL,
      claimed.map((e) => e.id),
      'test',
      'failed for good in a test',
      now,
    );
    await h.store.deadLetters.quarantine(PORTAL, [{ dedupKey: 'q-1', objectType: 'contact', objectId: 'x', raw: '{"bad":true}', reason: 'no objectId' }], now);

    const health = SyncHealthViewSchema.parse((await get(pageApiPaths.syncHealth())).body);
    expect(health.queues.inboxPending).toBe(0);
    expect(health.lastWebhookReceivedAt).not.toBeNull();
    const dead = health.deadLetters.items.find((item) => item.source === 'inbox')!;
    const quarantined = health.deadLetters.items.find((item) => item.source === 'webhook')!;
    expect(dead).toMatchObject({ record: `contact:${contact}`, reason: 'failed for good in a test', retryable: true });
    expect(quarantined).toMatchObject({ retryable: false });

    expect((await post(pageApiPaths.retryDeadLetter(dead.id))).body).toEqual({ id: dead.id, outcome: 'requeued' });
    expect((await post(pageApiPaths.retryDeadLetter(quarantined.id))).body).toEqual({ id: quarantined.id, outcome: 'not_retryable' });
    const after = SyncHealthViewSchema.parse((await get(pageApiPaths.syncHealth())).body);
    expect(after.queues.inboxPending).toBe(1);
    expect(after.queues.lagSeconds).not.toBeNull();
    expect(after.deadLetters.items.map((item) => item.id)).not.toContain(dead.id);
    await h.settle();
  });

  it('starts the backfill from the page and shows its progress until it finishes', async () => {
    const before = SyncHealthViewSchema.parse((await get(pageApiPaths.syncHealth())).body);
    expect(before.backfill.status).toBe('never_run');

    const started = await post(pageApiPaths.startBackfill());
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ outcome: 'started' });

    const done = await eventually(
      async () => SyncHealthViewSchema.parse((await get(pageApiPaths.syncHealth())).body).backfill,
      (backfill) => backfill.status === 'finished',
      250,
    );
    expect(done.scanned).toBe(2);
    expect(done.lastError).toBeNull();
  });

  it('refuses an unsigned request, a forged one and one naming a portal the app is not installed in, with 401', async () => {
    const path = withPageClaims(pageApiPaths.audit(), ADMIN);
    expect((await signedFetch(h.backend.url, path, { clientSecret: SECRET, timestamp: h.clock.now(), unsigned: true })).status).toBe(401);
    expect((await signedFetch(h.backend.url, path, { clientSecret: 'not-the-secret', timestamp: h.clock.now() })).status).toBe(401);
    expect((await get(pageApiPaths.audit(), {}, { ...ADMIN, portalId: 999 })).status).toBe(401);
    expect((await signedFetch(h.backend.url, path, { clientSecret: SECRET, timestamp: h.clock.now(), tamper: (url) => url.searchParams.set('portalId', '202') })).status).toBe(401);
  });
});
