import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../../src/adapters/store';
import { signedRequestHeaders } from '../../src/adapters/hubspot/signature';
import { SimulatedClock } from '../../src/app/ports/clock';
import type { Store } from '../../src/app/ports/store-ports';
import { parseEnv } from '../../src/config/env';
import { defaultModel } from '../../src/core';
import { startBackend, type Backend, type BackendOptions } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import { listenWarnings } from '../../src/main/startup-checks';
import { WEBHOOK_PATH } from '../../src/contracts/backend-routes';

const PORTAL = 101;
const SECRET = 'client-secret-of-our-app';

/**
 * Issue 12 item 7 (docs/reliability.md §7b, with R28): the URL a signature is checked against. PUBLIC_BASE_URL is
 * the truth when set; without it, X-Forwarded-Host/Proto are client input and count only when the operator says a
 * proxy sets them (TRUST_PROXY) — otherwise anyone can make the backend verify against a URL of their choosing.
 */
describe('the signed URL: PUBLIC_BASE_URL, or X-Forwarded-* only when the operator opts in', () => {
  let folder: string;
  let store: Store;
  let backend: Backend;
  const clock = new SimulatedClock(Date.UTC(2026, 2, 2, 12));

  const start = async (options: Partial<BackendOptions>) => {
    folder = mkdtempSync(path.join(tmpdir(), 'lc-signed-url-'));
    store = await createStore(`sqlite:${path.join(folder, 'inbox.db')}`);
    const model = defaultModel();
    backend = await startBackend({
      store,
      model: () => model,
      hubspotBaseUrl: 'http://127.0.0.1:9',
      portals: [{ portalId: PORTAL, accessToken: 'token-101', clientSecrets: [SECRET], rateLimit: 110 }],
      clock,
      logger: createLogger('silent'),
      port: 0,
      runWorker: false,
      ...options,
    });
  };
  afterEach(async () => {
    await backend.stop();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A delivery signed for `signedFor` (the URL HubSpot called), sent to our local URL with the given headers. */
  const deliver = async (signedFor: string, headers: Record<string, string> = {}) => {
    const body = JSON.stringify([
      {
        eventId: Math.floor(Math.random() * 1e9),
        subscriptionId: 1,
        portalId: PORTAL,
        appId: 1,
        occurredAt: clock.now(),
        subscriptionType: 'contact.creation',
        attemptNumber: 0,
        objectId: 4242,
      },
    ]);
    const signed = signedRequestHeaders({ clientSecret: SECRET, method: 'POST', url: signedFor, body, timestamp: clock.now(), legacyVersion: 'v1' });
    const response = await fetch(`${backend.url}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed, ...headers }, body });
    return response.status;
  };
  const forwardedTo = (host: string) => ({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': host });

  it('without PUBLIC_BASE_URL and without opting in, X-Forwarded-* are ignored: a signature for another host does not verify', async () => {
    await start({});
    expect(await deliver(`https://attacker.example${WEBHOOK_PATH}`, forwardedTo('attacker.example'))).toBe(401);
    expect(await deliver(`${backend.url}${WEBHOOK_PATH}`)).toBe(200);
  });

  it('with TRUST_PROXY, the URL is rebuilt from X-Forwarded-Proto and X-Forwarded-Host', async () => {
    await start({ trustProxy: true });
    expect(await deliver(`https://hooks.acme.example${WEBHOOK_PATH}`, forwardedTo('hooks.acme.example'))).toBe(200);
  });

  it('with PUBLIC_BASE_URL, only that URL verifies, whatever the forwarded headers say', async () => {
    await start({ publicBaseUrl: 'https://lifecycle.acme.example', trustProxy: true });
    expect(await deliver(`https://lifecycle.acme.example${WEBHOOK_PATH}`)).toBe(200);
    expect(await deliver(`https://attacker.example${WEBHOOK_PATH}`, forwardedTo('attacker.example'))).toBe(401);
  });

  it('TRUST_PROXY is off unless set; serve warns when it listens beyond loopback without PUBLIC_BASE_URL', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(listenWarnings(parseEnv({ HOST: '0.0.0.0' }))).toEqual([expect.stringMatching(/HOST 0\.0\.0\.0 .*PUBLIC_BASE_URL/)]);
    expect(listenWarnings(parseEnv({ HOST: '0.0.0.0', PUBLIC_BASE_URL: 'https://lifecycle.acme.example' }))).toEqual([]);
    expect(listenWarnings(parseEnv({ HOST: '127.0.0.1' }))).toEqual([]);
    expect(listenWarnings(parseEnv({ HOST: '::1' }))).toEqual([]);
  });
});
