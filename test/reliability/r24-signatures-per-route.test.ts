import { signedRequestHeaders, signV1, signV2 } from '../../src/adapters/hubspot/signature';
import { cardApiPaths } from '../../src/contracts/card-api';
import { pageApiPaths } from '../../src/contracts/page-api';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { WEBHOOK_PATH, workflowActionPath } from '../../src/contracts/backend-routes';

const SECRET = `sim-secret-${PORTAL}`;

/** Only the legacy header, as an attacker holding one captured legacy signature (or an old sender) would send. */
function legacyOnly(version: 'v1' | 'v2', method: string, url: string, body: string): Record<string, string> {
  const signature = version === 'v1' ? signV1({ clientSecret: SECRET, body }) : signV2({ clientSecret: SECRET, method, url, body });
  return { 'X-HubSpot-Signature': signature, 'X-HubSpot-Signature-Version': version, 'content-type': 'application/json' };
}

async function send(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body = ''): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method, headers, ...(body === '' ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

/**
 * R24 (docs/reliability.md §7b): each route takes the signatures HubSpot sends it (hubspot-platform.md §2.4, §3.2,
 * §4.2). Webhooks and hubspot.fetch carry v3 with a timestamp, so a request holding only a v1 or v2 signature is a
 * 401 there: a v1 signature of an empty GET is the constant sha256(secret) and would open every card forever.
 * HubSpot documents v2 for custom workflow actions, so that route takes v3 or v2 — never v1 — and its callbackId
 * makes a replayed v2 request harmless.
 */
describe('R24: signatures as HubSpot sends them, route by route', () => {
  let h: PipelineHarness;
  let contact: string;
  let other: string;
  beforeAll(async () => {
    h = await startPipelineHarness();
    contact = await h.createContact({ email: 'ada@acme.test' });
    other = await h.createContact({ email: 'bob@acme.test' });
    await h.settle();
  });
  afterAll(() => h.stop());

  const cardUrl = (objectId: string) => `${h.backend.url}${cardApiPaths.contactView(objectId)}?portalId=${PORTAL}`;

  it('when a webhook delivery carries only a v1 or a v2 signature, it is refused with 401 and nothing is stored', async () => {
    const url = `${h.backend.url}${WEBHOOK_PATH}`;
    const body = JSON.stringify([
      { eventId: 9_000_001, subscriptionId: 1, portalId: PORTAL, appId: 1, occurredAt: h.clock.now(), subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 777001 },
    ]);
    const pendingBefore = await h.store.inbox.pendingCount();
    for (const version of ['v1', 'v2'] as const) {
      const response = await send(url, 'POST', legacyOnly(version, 'POST', url, body), body);
      expect({ version, status: response.status }).toEqual({ version, status: 401 });
    }
    expect(await h.store.inbox.pendingCount()).toBe(pendingBefore);
  });

  it('when a card GET carries only a v1 signature (the constant sha256(secret) of an empty body), it is refused, on this record and on any other', async () => {
    const captured = legacyOnly('v1', 'GET', cardUrl(contact), '');
    expect(captured['X-HubSpot-Signature']).toBe(signV1({ clientSecret: SECRET, body: '' })); // the same for every GET
    expect((await send(cardUrl(contact), 'GET', captured)).status).toBe(401);
    expect((await send(cardUrl(other), 'GET', captured)).status).toBe(401);
  });

  it('when a card GET carries only a v2 signature (no timestamp, replayable forever), it is refused with 401', async () => {
    expect((await send(cardUrl(contact), 'GET', legacyOnly('v2', 'GET', cardUrl(contact), ''))).status).toBe(401);
  });

  it('when a card action carries only a v1 or v2 signature, it is refused and the ledger is unchanged', async () => {
    const url = `${h.backend.url}${cardApiPaths.contactAction(contact, 'dead-end')}?portalId=${PORTAL}`;
    const body = JSON.stringify({ reason: 'student' });
    const before = await h.history(contact);
    for (const version of ['v1', 'v2'] as const) {
      expect({ version, status: (await send(url, 'POST', legacyOnly(version, 'POST', url, body), body)).status }).toEqual({ version, status: 401 });
    }
    expect(await h.history(contact)).toEqual(before);
  });

  it('the same card GET signed v3 with a fresh timestamp is served (HubSpot sends v3 on hubspot.fetch)', async () => {
    const headers = signedRequestHeaders({ clientSecret: SECRET, method: 'GET', url: cardUrl(contact), body: '', timestamp: h.clock.now(), legacyVersion: 'v2' });
    expect((await send(cardUrl(contact), 'GET', headers)).status).toBe(200);
  });

  it('the app pages (hubspot.fetch, like the cards) refuse a v1- or v2-only request with 401, on reads and on buttons', async () => {
    for (const path of [pageApiPaths.audit(), pageApiPaths.syncHealth(), pageApiPaths.funnel()]) {
      const url = `${h.backend.url}${path}?portalId=${PORTAL}`;
      for (const version of ['v1', 'v2'] as const)
        expect({ path, version, status: (await send(url, 'GET', legacyOnly(version, 'GET', url, ''))).status }).toEqual({ path, version, status: 401 });
    }
    const retry = `${h.backend.url}${pageApiPaths.retryDeadLetter(1)}?portalId=${PORTAL}`;
    expect((await send(retry, 'POST', legacyOnly('v2', 'POST', retry, '{}'), '{}')).status).toBe(401);
    const audit = `${h.backend.url}${pageApiPaths.audit()}?portalId=${PORTAL}`;
    const headers = signedRequestHeaders({ clientSecret: SECRET, method: 'GET', url: audit, body: '', timestamp: h.clock.now(), legacyVersion: 'v2' });
    expect((await send(audit, 'GET', headers)).status).toBe(200);
  });

  describe('workflow actions (HubSpot documents v2 for custom actions)', () => {
    const execution = (callbackId: string, objectId: string) =>
      JSON.stringify({
        callbackId,
        origin: { portalId: PORTAL, actionDefinitionId: 1, actionDefinitionVersion: 1 },
        context: { source: 'WORKFLOWS', workflowId: 1, actionId: 1 },
        object: { objectId: Number(objectId), objectType: 'CONTACT' },
        fields: { reason: 'student' },
        inputFields: { reason: 'student' },
      });

    it('a v2-only execution is accepted, and the same callbackId replayed decides nothing twice', async () => {
      h.clock.advance(DAY);
      const url = `${h.backend.url}${workflowActionPath('dead-end')}`;
      const body = execution('ap-r24-v2', other);
      const first = await send(url, 'POST', legacyOnly('v2', 'POST', url, body), body);
      expect(first).toMatchObject({ status: 200, json: { outputFields: { hs_execution_state: 'SUCCESS' } } });
      const replay = await send(url, 'POST', legacyOnly('v2', 'POST', url, body), body);
      expect(replay).toEqual(first);
      expect((await h.history(other)).filter((e) => e.kind === 'dead_end')).toHaveLength(1);
    });

    it('a v1-only execution is refused with 401 (HubSpot does not sign actions v1)', async () => {
      const url = `${h.backend.url}${workflowActionPath('evaluate')}`;
      const body = execution('ap-r24-v1', contact);
      expect((await send(url, 'POST', legacyOnly('v1', 'POST', url, body), body)).status).toBe(401);
    });

    it('a v3-signed execution is accepted', async () => {
      const url = `${h.backend.url}${workflowActionPath('evaluate')}`;
      const body = execution('ap-r24-v3', contact);
      const headers = { ...signedRequestHeaders({ clientSecret: SECRET, method: 'POST', url, body, timestamp: h.clock.now(), legacyVersion: 'v2' }), 'content-type': 'application/json' };
      expect((await send(url, 'POST', headers, body)).status).toBe(200);
    });
  });
});
