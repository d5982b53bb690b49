import type { WebhooksConfigInput } from '../webhooks/webhook-config';
import type { Harness } from './harness';
import { startHarness } from './harness';

const APP = { clientId: 'journal-app', clientSecret: 'journal-secret', appId: 777 };
const DAY = 86_400_000;

/** Push deliveries go to a port nothing listens on: the journal must hold the events regardless. */
const webhooks: WebhooksConfigInput = {
  settings: { targetUrl: 'http://127.0.0.1:9/unreachable', maxConcurrentRequests: 10 },
  subscriptions: { crmObjects: [{ subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage', active: true }] },
};

type Pointer = { currentOffset: string; expiresAt: string; url: string };

describe('webhooks journal (2026-03)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      portals: [
        { portalId: 101, appId: APP.appId, webhooks: { uid: 'webhooks', type: 'webhooks', config: webhooks } },
        { portalId: 202, appId: APP.appId },
      ],
    });
    h.sim.control.oauth.registerApp({ ...APP, redirectUrls: ['https://example.test/cb'] });
  });
  afterEach(() => h.sim.stop());

  const token = async (scope = 'developer.webhooks_journal.read') => {
    const response = await fetch(`${h.sim.baseUrl}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.clientSecret, scope }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const get = (path: string, bearer?: string) =>
    fetch(`${h.sim.baseUrl}/webhooks-journal/journal-local/2026-03${path}${path.includes('?') ? '&' : '?'}installPortalId=101`, {
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    });
  const events = async (pointer: Pointer) => (await (await fetch(pointer.url)).json()) as Array<{ objectId: number; propertyValue: string; eventId: number }>;

  it('when changes happen while push deliveries fail, the journal hands them out in order from the earliest offset', async () => {
    const [id] = h.sim.control.seed(101, 'contacts', [{ email: 'a@example.test' }]);
    h.sim.control.updateRecord(101, 'contacts', id as string, { lifecyclestage: 'lead' });
    await new Promise((resolve) => setImmediate(resolve));
    h.clock.advance(1000);
    h.sim.control.updateRecord(101, 'contacts', id as string, { lifecyclestage: 'customer' });
    const bearer = await token();

    const first = (await (await get('/earliest', bearer)).json()) as Pointer;
    expect(first.currentOffset).toMatch(/^[0-9a-f-]{36}$/);
    expect(await events(first)).toEqual([expect.objectContaining({ objectId: Number(id), propertyValue: 'lead' })]);
    const second = (await (await get(`/offset/${first.currentOffset}/next`, bearer)).json()) as Pointer;
    expect(await events(second)).toEqual([expect.objectContaining({ objectId: Number(id), propertyValue: 'customer' })]);
    expect((await get(`/offset/${second.currentOffset}/next`, bearer)).status).toBe(204);
    expect(((await (await get('/latest', bearer)).json()) as Pointer).currentOffset).toBe(second.currentOffset);
  });

  it('when an entry is older than 3 days it is gone: its offset answers 404 and earliest starts after it', async () => {
    const [id] = h.sim.control.seed(101, 'contacts', [{ email: 'a@example.test' }]);
    h.sim.control.updateRecord(101, 'contacts', id as string, { lifecyclestage: 'lead' });
    let bearer = await token();
    const old = (await (await get('/earliest', bearer)).json()) as Pointer;
    h.clock.advance(3 * DAY + 1);
    h.sim.control.updateRecord(101, 'contacts', id as string, { lifecyclestage: 'customer' });
    bearer = await token(); // the first one expired with the days
    expect((await get(`/offset/${old.currentOffset}/next`, bearer)).status).toBe(404);
    const fresh = (await (await get('/earliest', bearer)).json()) as Pointer;
    expect(await events(fresh)).toEqual([expect.objectContaining({ propertyValue: 'customer' })]);
  });

  it('when the token is missing, an account token, or lacks the journal scope, the journal refuses (401, 401, 403)', async () => {
    expect((await get('/earliest')).status).toBe(401);
    expect((await get('/earliest', 'sim-token-101')).status).toBe(401);
    expect((await get('/earliest', await token('crm.objects.contacts.read'))).status).toBe(403);
  });

  it('when another install of the app changes records, the local journal of this install does not show them', async () => {
    h.sim.control.configureWebhooks(202, webhooks);
    const [id] = h.sim.control.seed(202, 'contacts', [{ email: 'b@example.test' }]);
    h.sim.control.updateRecord(202, 'contacts', id as string, { lifecyclestage: 'lead' });
    const bearer = await token();
    expect((await get('/earliest', bearer)).status).toBe(404);
    const global = await fetch(`${h.sim.baseUrl}/webhooks-journal/journal/2026-03/earliest`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(await events((await global.json()) as Pointer)).toEqual([expect.objectContaining({ portalId: 202 })]);
  });
});
