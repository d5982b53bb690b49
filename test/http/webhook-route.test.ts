import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../../src/adapters/store';
import { signedRequestHeaders, signV1 } from '../../src/adapters/hubspot/signature';
import { defaultModel } from '../../src/core';
import { SimulatedClock } from '../../src/app/ports/clock';
import type { InboxEvent, Store } from '../../src/app/ports/store-ports';
import { startBackend, type Backend } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import { WEBHOOK_PATH } from '../../src/contracts/backend-routes';

/**
 * POST /webhooks/hubspot over real HTTP against the composed backend and a real SQLite store: what HubSpot's
 * delivery contract (reliability.md §1, §3; R2, R5) requires of the acknowledgement.
 */

const PORTAL = 101;
const SECRET = 'client-secret-of-our-app';
const PATH = WEBHOOK_PATH;
const MINUTE = 60_000;

interface Running {
  backend: Backend;
  store: Store;
  clock: SimulatedClock;
  folder: string;
}

async function startRunning(publicBaseUrl?: string, trustProxy = false): Promise<Running> {
  const folder = mkdtempSync(path.join(tmpdir(), 'lc-webhook-route-'));
  const store = await createStore(`sqlite:${path.join(folder, 'inbox.db')}`);
  const clock = new SimulatedClock(Date.UTC(2026, 2, 2, 12));
  const model = defaultModel();
  const backend = await startBackend({
    store,
    model: () => model,
    // The worker does not run here: nothing calls HubSpot.
    hubspotBaseUrl: 'http://127.0.0.1:9',
    portals: [{ portalId: PORTAL, accessToken: 'token-101', clientSecrets: [SECRET], rateLimit: 110 }],
    clock,
    logger: createLogger('silent'),
    port: 0,
    runWorker: false,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    trustProxy,
  });
  return { backend, store, clock, folder };
}

async function stopRunning(r: Running): Promise<void> {
  await r.backend.stop();
  await r.store.close().catch(() => undefined);
  rmSync(r.folder, { recursive: true, force: true });
}

let nextEventId = 1;
function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: nextEventId++,
    subscriptionId: 7662269,
    portalId: PORTAL,
    appId: 4242001,
    occurredAt: Date.UTC(2026, 2, 2, 11, 59),
    subscriptionType: 'object.propertyChange',
    attemptNumber: 0,
    objectId: 546500061938,
    objectTypeId: '0-1',
    propertyName: 'email',
    propertyValue: 'ada@acme.test',
    changeSource: 'CRM_UI',
    ...overrides,
  };
}

interface PostOptions {
  /** The URL HubSpot signs (default: the one we call). */
  signedUrl?: string;
  secret?: string;
  timestamp?: number;
  headers?: Record<string, string>;
  /** Send only the legacy v1 signature (no v3 headers). */
  v1Only?: boolean;
}

async function post(r: Running, body: string, options: PostOptions = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = `${r.backend.url}${PATH}`;
  const signed = signedRequestHeaders({
    clientSecret: options.secret ?? SECRET,
    method: 'POST',
    url: options.signedUrl ?? url,
    body,
    timestamp: options.timestamp ?? r.clock.now(),
    legacyVersion: 'v1',
  });
  const signature = options.v1Only ? { 'X-HubSpot-Signature': signV1({ clientSecret: options.secret ?? SECRET, body }), 'X-HubSpot-Signature-Version': 'v1' } : signed;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signature, ...options.headers }, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Reads back what the inbox holds for the portal (leasing it, which these tests never complete). */
async function inboxEvents(r: Running, portalId = PORTAL): Promise<InboxEvent[]> {
  const all = await r.store.inbox.claim({ workerId: 'test-reader', limit: 10_000, leaseMs: 60_000, now: r.clock.now() });
  return all.filter((e) => e.portalId === portalId);
}

describe('POST /webhooks/hubspot: a signed delivery is stored before it is acknowledged', () => {
  let r: Running;
  beforeEach(async () => {
    r = await startRunning();
  });
  afterEach(() => stopRunning(r));

  it('a valid v3-signed delivery is answered 200 and every event is in the inbox', async () => {
    const events = [event({ objectId: 1 }), event({ objectId: 2 }), event({ objectId: 3, subscriptionType: 'object.creation', propertyName: undefined, propertyValue: undefined })];
    const response = await post(r, JSON.stringify(events));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ received: 3, stored: 3, duplicates: 0, ignored: 0, quarantined: 0 });
    const stored = await inboxEvents(r);
    expect(stored.map((e) => [e.objectType, e.objectId, e.subscriptionType]).sort()).toEqual([
      ['contact', '1', 'object.propertyChange'],
      ['contact', '2', 'object.propertyChange'],
      ['contact', '3', 'object.creation'],
    ]);
  });

  it('a retried delivery (attemptNumber 1) is acknowledged with 200 and stores nothing new (R1)', async () => {
    const events = [event({ objectId: 10 }), event({ objectId: 11 })];
    expect((await post(r, JSON.stringify(events))).status).toBe(200);
    const retry = await post(r, JSON.stringify(events.map((e) => ({ ...e, attemptNumber: 1 }))));
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ received: 2, stored: 0, duplicates: 2 });
    expect(await r.store.inbox.pendingCount(PORTAL)).toBe(2);
  });

  it('two events that share an eventId but concern different records are both stored, because eventId is not unique (R2)', async () => {
    const shared = event({ objectId: 20 });
    const sibling = { ...shared, objectId: 21 };
    const response = await post(r, JSON.stringify([shared, sibling]));
    expect(response.json).toMatchObject({ stored: 2, duplicates: 0 });
    const stored = await inboxEvents(r);
    expect(stored.map((e) => [e.eventId, e.objectId]).sort()).toEqual([
      [String(shared['eventId']), '20'],
      [String(shared['eventId']), '21'],
    ]);
  });

  it('a delivery signed with a secret we do not know is refused with 401 and nothing is stored (R5)', async () => {
    const response = await post(r, JSON.stringify([event()]), { secret: 'someone-elses-secret' });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: 'invalid_signature', message: 'v3 signature mismatch' });
    expect(await r.store.inbox.pendingCount()).toBe(0);
  });

  it('a body altered after signing is refused with 401 and nothing is stored (R5)', async () => {
    const url = `${r.backend.url}${PATH}`;
    const signedBody = JSON.stringify([event({ propertyValue: 'ada@acme.test' })]);
    const headers = signedRequestHeaders({ clientSecret: SECRET, method: 'POST', url, body: signedBody, timestamp: r.clock.now(), legacyVersion: 'v1' });
    const tampered = signedBody.replace('ada@acme.test', 'eve@evil.test');
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: tampered });
    expect(response.status).toBe(401);
    expect(await r.store.inbox.pendingCount()).toBe(0);
  });

  it('a delivery signed 6 minutes ago is refused with 401 (replay) and nothing is stored (R5)', async () => {
    const response = await post(r, JSON.stringify([event()]), { timestamp: r.clock.now() - 6 * MINUTE });
    expect(response.status).toBe(401);
    expect(String(response.json['message'])).toContain('5-minute window');
    expect(await r.store.inbox.pendingCount()).toBe(0);
  });

  it('a delivery stamped 6 minutes in the future is refused with 401 and nothing is stored (R5)', async () => {
    const response = await post(r, JSON.stringify([event()]), { timestamp: r.clock.now() + 6 * MINUTE });
    expect(response.status).toBe(401);
    expect(String(response.json['message'])).toContain('5-minute window');
    expect(await r.store.inbox.pendingCount()).toBe(0);
  });

  it('a delivery signed 4 minutes ago is still inside the window and accepted', async () => {
    const response = await post(r, JSON.stringify([event()]), { timestamp: r.clock.now() - 4 * MINUTE });
    expect(response.status).toBe(200);
    expect(await r.store.inbox.pendingCount(PORTAL)).toBe(1);
  });

  it('a delivery with no signature at all is refused with 401', async () => {
    const response = await fetch(`${r.backend.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event()]) });
    expect(response.status).toBe(401);
    expect(await r.store.inbox.pendingCount()).toBe(0);
  });

  it('a delivery carrying only the legacy v1 signature is refused with 401: HubSpot signs deliveries v3 (R24)', async () => {
    const response = await post(r, JSON.stringify([event({ objectId: 30 })]), { v1Only: true });
    expect(response.status).toBe(401);
    expect(await inboxEvents(r)).toEqual([]);
  });

  it('a v1 signature made with another secret is refused with 401', async () => {
    const response = await post(r, JSON.stringify([event()]), { v1Only: true, secret: 'someone-elses-secret' });
    expect(response.status).toBe(401);
    expect(response.json['error']).toBe('invalid_signature');
  });

  it('a correctly signed body that is not JSON is acknowledged with 200 and quarantined whole, never stored in the inbox (R20)', async () => {
    const response = await post(r, '[{"eventId": 1,');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ received: 1, stored: 0, quarantined: 1 });
    expect(await r.store.inbox.pendingCount()).toBe(0);
    const [letter] = await r.store.deadLetters.list(PORTAL);
    expect(letter).toMatchObject({ source: 'webhook', payload: '[{"eventId": 1,' });
    expect(letter!.reason).toMatch(/^body is not JSON: /);
  });

  it('a delivery of 101 events is stored in full: there is no 100-event cap, only the body-size limit (R20)', async () => {
    const events = Array.from({ length: 101 }, (_, i) => event({ objectId: 1_000 + i }));
    const response = await post(r, JSON.stringify(events));
    expect(response.status).toBe(200);
    expect(response.json['stored']).toBe(101);
    expect(await r.store.inbox.pendingCount(PORTAL)).toBe(101);
  });

  it('a delivery of exactly 100 events is stored in full', async () => {
    const events = Array.from({ length: 100 }, (_, i) => event({ objectId: 2_000 + i }));
    const response = await post(r, JSON.stringify(events));
    expect(response.status).toBe(200);
    expect(response.json['stored']).toBe(100);
    expect(await r.store.inbox.pendingCount(PORTAL)).toBe(100);
  });

  it('an event missing a field we rely on (portalId) is quarantined with a reason naming the field; the others of the delivery are stored (R20)', async () => {
    const { portalId: _omitted, ...withoutPortal } = event();
    const response = await post(r, JSON.stringify([withoutPortal, event({ objectId: 77 })]));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ received: 2, stored: 1, quarantined: 1 });
    expect((await inboxEvents(r)).map((e) => e.objectId)).toEqual(['77']);
    const [letter] = await r.store.deadLetters.list(PORTAL);
    expect(letter!.reason).toContain('portalId');
  });

  it('fields HubSpot adds that we do not know are tolerated and kept in the stored payload', async () => {
    const response = await post(r, JSON.stringify([event({ objectId: 40, isSensitive: false, sourceId: 'userId:98499705', someFutureField: { nested: [1, 2] } })]));
    expect(response.status).toBe(200);
    const [stored] = await inboxEvents(r);
    expect(JSON.parse(stored!.payload)).toMatchObject({ someFutureField: { nested: [1, 2] }, isSensitive: false });
  });

  it('events for a portal we do not serve are acknowledged (so HubSpot stops retrying) and ignored', async () => {
    const response = await post(r, JSON.stringify([event({ portalId: 999, objectId: 50 }), event({ objectId: 51 })]));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ received: 2, stored: 1, duplicates: 0, ignored: 1, quarantined: 0 });
    expect(await r.store.inbox.pendingCount(999)).toBe(0);
    expect((await inboxEvents(r)).map((e) => e.objectId)).toEqual(['51']);
  });

  it('behind a proxy the operator declared (TRUST_PROXY), the URL HubSpot signed is rebuilt from X-Forwarded-Proto and X-Forwarded-Host', async () => {
    await stopRunning(r);
    r = await startRunning(undefined, true);
    const publicUrl = `https://hooks.acme.example${PATH}`;
    const body = JSON.stringify([event({ objectId: 60 })]);
    const accepted = await post(r, body, { signedUrl: publicUrl, headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'hooks.acme.example' } });
    expect(accepted.status).toBe(200);
    // The same signature without the proxy headers names a different URL, so it does not verify.
    const refused = await post(r, JSON.stringify([event({ objectId: 61 })]), { signedUrl: publicUrl });
    expect(refused.status).toBe(401);
    expect((await inboxEvents(r)).map((e) => e.objectId)).toEqual(['60']);
  });

  it('/healthz answers 200 and /readyz 200 while the store is reachable', async () => {
    expect((await fetch(`${r.backend.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${r.backend.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

describe('POST /webhooks/hubspot with PUBLIC_BASE_URL configured', () => {
  let r: Running;
  beforeEach(async () => {
    r = await startRunning('https://lifecycle.acme.example/');
  });
  afterEach(() => stopRunning(r));

  it('verifies against the configured public URL, whatever Host the request arrives with', async () => {
    const accepted = await post(r, JSON.stringify([event({ objectId: 70 })]), { signedUrl: `https://lifecycle.acme.example${PATH}` });
    expect(accepted.status).toBe(200);
    const signedForLocalUrl = await post(r, JSON.stringify([event({ objectId: 71 })]));
    expect(signedForLocalUrl.status).toBe(401);
    const spoofedProxyHeaders = await post(r, JSON.stringify([event({ objectId: 72 })]), {
      signedUrl: `https://attacker.example${PATH}`,
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'attacker.example' },
    });
    expect(spoofedProxyHeaders.status).toBe(401);
    expect((await inboxEvents(r)).map((e) => e.objectId)).toEqual(['70']);
  });
});

describe('POST /webhooks/hubspot when storage is down', () => {
  let r: Running;
  beforeEach(async () => {
    r = await startRunning();
    await r.store.close();
  });
  afterEach(() => stopRunning(r));

  it('a valid delivery is answered 503 so HubSpot retries it later', async () => {
    const response = await post(r, JSON.stringify([event()]));
    expect(response.status).toBe(503);
    expect(response.json).toMatchObject({ error: 'storage_unavailable' });
  });

  it('/healthz still answers 200 (the process is up) while /readyz answers 503', async () => {
    expect((await fetch(`${r.backend.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${r.backend.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready' });
  });
});
