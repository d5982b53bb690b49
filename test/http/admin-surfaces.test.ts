import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultModel } from '../../src/core';
import { createStore } from '../../src/adapters/store';
import { SimulatedClock } from '../../src/app/ports/clock';
import type { Store } from '../../src/app/ports/store-ports';
import { startBackend, type Backend } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import { REPORT_API_ROUTES, WEBHOOK_PATH } from '../../src/contracts/backend-routes';

describe('the backend serves its admin surfaces: dashboard, report API and Prometheus metrics', () => {
  let folder: string;
  let store: Store;
  let backend: Backend;
  const token = 'a-dashboard-token-of-32-characters';
  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'admin-'));
    store = await createStore(`sqlite:${path.join(folder, 'a.db')}`);
    backend = await startBackend({
      store,
      model: () => defaultModel(),
      hubspotBaseUrl: 'http://127.0.0.1:9',
      portals: [{ portalId: 101, accessToken: 't', clientSecrets: ['s'], rateLimit: 100 }],
      clock: new SimulatedClock(Date.UTC(2026, 0, 1)),
      logger: createLogger('silent'),
      port: 0,
      runWorker: false,
      adminToken: token,
    });
  });
  afterAll(async () => {
    await backend.stop();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers /metrics in Prometheus format with the admin token, and refuses without it', async () => {
    const refused = await fetch(`${backend.url}/metrics`);
    expect(refused.status).toBe(401);
    const metrics = await fetch(`${backend.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('lifecycle_inbox_pending{portal="101"} 0');
  });

  it('counts a refused webhook delivery in the metrics', async () => {
    const response = await fetch(`${backend.url}${WEBHOOK_PATH}`, { method: 'POST', body: '[]', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(401);
    const text = await (await fetch(`${backend.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(text).toContain('lifecycle_webhook_deliveries_total{outcome="signature"} 1');
  });

  it('serves the dashboard page and the funnel API behind the same token', async () => {
    expect((await fetch(`${backend.url}/dashboard`)).status).toBe(401);
    const page = await fetch(`${backend.url}/dashboard`, { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const funnel = await fetch(`${backend.url}${REPORT_API_ROUTES.funnel}?portalId=101`, { headers: { authorization: `Bearer ${token}` } });
    expect(funnel.status).toBe(200);
    expect(await funnel.json()).toMatchObject({ portalId: 101 });
  });

  it('refuses to start on a port already taken with an error its caller reports, instead of crashing the process', async () => {
    const taken = Number(new URL(backend.url).port);
    const second = startBackend({
      store,
      model: () => defaultModel(),
      hubspotBaseUrl: 'http://127.0.0.1:9',
      portals: [{ portalId: 101, accessToken: 't', clientSecrets: ['s'], rateLimit: 100 }],
      clock: new SimulatedClock(Date.UTC(2026, 0, 1)),
      logger: createLogger('silent'),
      port: taken,
      runWorker: false,
    });
    await expect(second).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
