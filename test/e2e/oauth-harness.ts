import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { createStore } from '../../src/adapters/store';
import { openDatabase } from '../../src/adapters/store/database';
import { signedRequestHeaders } from '../../src/adapters/hubspot/signature';
import { SimulatedClock } from '../../src/app/ports/clock';
import type { Store } from '../../src/app/ports/store-ports';
import { defaultModel } from '../../src/core';
import { startBackend, type Backend } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import type { OAuthInstallSettings } from '../../src/main/oauth-installs';
import { subscribeSimulator } from '../../src/main/runtime';
import { startSimulator, type RunningSimulator } from '../../src/simulator';

export const MINUTE = 60_000;
export const APP = { clientId: 'lifecycle-public-app', clientSecret: 'lifecycle-public-secret', appId: 4_242_001 };
/** The public URL HubSpot sends the admin back to; the test's "browser" maps it onto the local backend. */
export const REDIRECT_URI = 'https://lifecycle.example.test/oauth/callback';

export interface OAuthHarness {
  sim: RunningSimulator;
  store: Store;
  backend: Backend;
  clock: SimulatedClock;
  databaseUrl: string;
  /** The admin's browser: /oauth/install → HubSpot consent → /oauth/callback. Returns the callback's answer. */
  install(portalId: number): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Another tool of the account's users, writing with the account's own (private-app) token. */
  user(portalId: number): Client;
  /** Delivers pending webhooks and runs the pipeline until the served portals have nothing left to do now. */
  settle(): Promise<void>;
  /** A request as HubSpot's app settings page sends it through hubspot.fetch: v3-signed with the app's secret. */
  signedPost(pathAndQuery: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/** The OAuth backend, the HubSpot simulator (with the public app registered) and a real store, on one clock. */
export async function startOAuthHarness(portalIds: number[]): Promise<OAuthHarness> {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 9));
  // A public app: HubSpot signs every account's webhooks with the app's one client secret.
  const sim = await startSimulator({ clock, portals: portalIds.map((portalId) => ({ portalId, clientSecret: APP.clientSecret })) });
  sim.control.oauth.registerApp({ ...APP, redirectUrls: [REDIRECT_URI] });
  const folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-oauth-'));
  const databaseUrl = `sqlite:${path.join(folder, 'oauth.db')}`;
  const store = await createStore(databaseUrl);
  const model = defaultModel();
  const oauth: OAuthInstallSettings = {
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    redirectUri: REDIRECT_URI,
    authorizeUrl: `${sim.baseUrl}/oauth/authorize`,
    scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'],
    optionalScopes: [],
    encryptionKeys: { current: { id: 'k1', key: randomBytes(32) } },
  };
  const backend = await startBackend({ store, model: () => model, hubspotBaseUrl: sim.baseUrl, portals: [], clock, logger: createLogger('silent'), port: 0, runWorker: false, oauth });
  subscribeSimulator(sim, backend.url);

  const follow = async (url: string) => {
    const response = await fetch(url, { redirect: 'manual', headers: { accept: 'application/json' } });
    return { response, location: response.headers.get('location') };
  };

  return {
    sim,
    store,
    backend,
    clock,
    databaseUrl,
    async install(portalId) {
      const start = await follow(`${backend.url}/oauth/install?portalId=${portalId}`);
      if (start.response.status !== 302 || !start.location) throw new Error(`/oauth/install answered ${start.response.status}`);
      const consent = await follow(start.location);
      if (consent.response.status !== 302 || !consent.location) throw new Error(`HubSpot consent answered ${consent.response.status}`);
      const back = new URL(consent.location);
      const callback = await fetch(`${backend.url}${back.pathname}${back.search}`, { headers: { accept: 'application/json' } });
      return { status: callback.status, body: (await callback.json()) as Record<string, unknown> };
    },
    user: (portalId) => new Client({ accessToken: `sim-token-${portalId}`, basePath: sim.baseUrl }),
    async settle() {
      for (let i = 0; i < 50; i++) {
        await sim.idle();
        await backend.runner.drain();
        await sim.idle();
        const pending = await Promise.all(backend.directory.portals().map((portalId) => store.inbox.pendingCount(portalId)));
        if (pending.every((count) => count === 0)) return;
      }
      throw new Error('the pipeline did not settle');
    },
    async signedPost(pathAndQuery, body) {
      const url = `${backend.url}${pathAndQuery}`;
      const raw = body === undefined ? '' : JSON.stringify(body);
      const headers = signedRequestHeaders({ clientSecret: APP.clientSecret, method: 'POST', url, body: raw, timestamp: clock.now(), legacyVersion: 'v2' });
      return fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: raw });
    },
    async stop() {
      await backend.stop();
      await sim.stop();
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The installations row as stored, read straight from the database file (what a stolen backup would show). */
export async function storedInstallationRow(databaseUrl: string, portalId: number): Promise<Record<string, unknown> | undefined> {
  const { db } = openDatabase(databaseUrl);
  try {
    return await db.selectFrom('installations').selectAll().where('portal_id', '=', portalId).executeTakeFirst();
  } finally {
    await db.destroy();
  }
}
