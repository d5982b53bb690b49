import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { signedRequestHeaders } from '../../src/adapters/hubspot/signature';
import { SimulatedClock } from '../../src/app/ports/clock';
import { main } from '../../src/cli/main';
import { serve } from '../../src/cli/commands/serve-command';
import { parseEnv, redactedConfig } from '../../src/config/env';
import { defaultModel } from '../../src/core';
import { provisionAll, type HubSpotTarget } from '../../src/main/runtime';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/** Runs `fn` with these environment variables, restoring the real ones after. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

/** An HTTP server that counts what reaches it: "HubSpot" for a start-up that must not call it. */
async function countingServer(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server: Server = createServer((_req, res) => {
    calls++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * R27 (docs/reliability.md §7b): start-up and operations say what is wrong, in one line, naming the setting to fix —
 * and never leak a credential or an internal message.
 */
describe('R27: start-up and operations that do not mislead', () => {
  describe('provisioning at start-up', () => {
    let sim: RunningSimulator;
    const clock = new SimulatedClock(Date.UTC(2026, 2, 2, 12));
    beforeEach(async () => {
      sim = await startSimulator({ clock });
    });
    afterEach(() => sim.stop());
    const targetWith = (accessToken: string): HubSpotTarget => ({
      baseUrl: sim.baseUrl,
      portals: [{ portalId: PORTAL, accessToken, clientSecrets: ['s'], rateLimit: 100 }],
      simulator: null,
    });

    it('when HubSpot answers 503 to the first property calls, provisioning waits and retries with backoff, and completes', async () => {
      sim.control.setFaults(PORTAL, { failingRoutes: [{ pathPattern: '/(groups|batch/read)$', status: 503, times: 4 }] });
      const started = clock.now();
      const results = await provisionAll(targetWith(sim.portals[0]!.accessTokens[0]!), defaultModel(), clock);
      expect(results.get(PORTAL)?.length).toBeGreaterThan(0);
      expect(sim.state.portal(PORTAL).registry.get('contacts', 'lc_stage')).toBeDefined();
      expect(clock.now() - started).toBeGreaterThanOrEqual(1_000); // it waited before retrying
    });

    it('when the token is wrong, the error names HUBSPOT_ACCESS_TOKEN and the portal', async () => {
      await expect(provisionAll(targetWith('not-a-token'), defaultModel(), clock)).rejects.toThrow(new RegExp(`HUBSPOT_ACCESS_TOKEN.*portal ${PORTAL}`));
    });
  });

  it('when PORT is in use, serve fails with one line naming PORT before any HubSpot call', async () => {
    const hubspot = await countingServer();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const folder = mkdtempSync(path.join(tmpdir(), 'lc-r27-port-'));
    try {
      const env = {
        PORT: String(port),
        HOST: '127.0.0.1',
        HUBSPOT_API_BASE_URL: hubspot.url,
        HUBSPOT_ACCESS_TOKEN: 'pat-na1-x',
        HUBSPOT_PORTAL_ID: '101',
        HUBSPOT_CLIENT_SECRET: 's',
        LOG_LEVEL: 'silent',
        DATABASE_URL: `sqlite:${path.join(folder, 'db.sqlite')}`,
      };
      const failure = await withEnv(env, () =>
        serve().then(
          () => null,
          (error: Error) => error,
        ),
      );
      expect(failure?.message).toMatch(new RegExp(`^PORT ${port} is already in use`));
      expect(failure?.message.split('\n')).toHaveLength(1);
      expect(hubspot.calls()).toBe(0);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
      await hubspot.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a password in DATABASE_URL never reaches the logged configuration', () => {
    const config = redactedConfig(parseEnv({ DATABASE_URL: 'postgres://lifecycle:hunter2-secret@db.internal:5432/lifecycle' }));
    expect(JSON.stringify(config)).not.toContain('hunter2-secret');
    expect(config['DATABASE_URL']).toBe('postgres://lifecycle:***@db.internal:5432/lifecycle');
  });

  it.each([
    ['report', ['report']],
    ['replay', ['replay', '--model', 'whatever.json']],
    ['dead-letters list', ['dead-letters', 'list']],
  ])('`%s` refuses to create a database that does not exist, naming the path (prefixed, exit code 1)', async (name, args) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'lc-r27-readonly-'));
    const file = path.join(folder, 'missing.db');
    let err = '';
    const stderr = jest.spyOn(console, 'error').mockImplementation((text: string) => void (err += `${text}\n`));
    try {
      await withEnv({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' }, () => main(['node', 'lifecycle', ...args]));
      expect(process.exitCode).toBe(1);
      expect(err).toMatch(new RegExp(`^lifecycle ${name}: `));
      expect(err).toContain(file);
      expect(err).toMatch(/does not exist/);
      expect(existsSync(file)).toBe(false);
    } finally {
      process.exitCode = undefined;
      stderr.mockRestore();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  describe('a running backend', () => {
    let h: PipelineHarness;
    const lines: string[] = [];
    beforeAll(async () => {
      const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString('utf8')), done()) }));
      h = await startPipelineHarness({ logger });
    });
    afterAll(() => h.stop());

    it('when HubSpot is unreachable during a workflow action, the 503 body carries a correlation id and no internal message or upstream URL; the log line carries the same id', async () => {
      const contact = await h.createContact({ email: 'down@acme.test' });
      await h.settle();
      h.sim.control.setFaults(PORTAL, { failingRoutes: [{ pathPattern: '.*', status: 503 }] });
      const url = `${h.backend.url}/actions/evaluate`;
      const body = JSON.stringify({ callbackId: 'ap-r27-down', origin: { portalId: PORTAL }, object: { objectId: Number(contact), objectType: 'CONTACT' }, inputFields: {} });
      const headers = {
        ...signedRequestHeaders({ clientSecret: `sim-secret-${PORTAL}`, method: 'POST', url, body, timestamp: h.clock.now(), legacyVersion: 'v2' }),
        'content-type': 'application/json',
      };
      const response = await fetch(url, { method: 'POST', headers, body });
      h.sim.control.clearFaults(PORTAL);
      const text = await response.text();

      expect(response.status).toBe(503);
      expect(text).not.toContain(h.sim.baseUrl);
      expect(text).not.toMatch(/127\.0\.0\.1|HTTP-Code|Service Unavailable/i);
      const { correlationId } = JSON.parse(text) as { correlationId: string };
      expect(correlationId).toMatch(/^[a-z0-9-]{8,}$/);
      expect(lines.some((line) => line.includes(correlationId))).toBe(true);
    });

    it('events for a portal this backend does not serve are counted, logged once per portal per hour, and shown on /healthz', async () => {
      const url = `${h.backend.url}/webhooks/hubspot`;
      const send = async (eventId: number) => {
        const body = JSON.stringify([
          { eventId, subscriptionId: 1, portalId: 999, appId: 1, occurredAt: h.clock.now(), subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 5 },
        ]);
        const headers = signedRequestHeaders({ clientSecret: `sim-secret-${PORTAL}`, method: 'POST', url, body, timestamp: h.clock.now(), legacyVersion: 'v1' });
        return (await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body })).status;
      };
      const warnings = () => lines.filter((line) => line.includes('not served by this backend') && line.includes('999')).length;
      expect(await send(1)).toBe(200);
      expect(await send(2)).toBe(200);
      expect(warnings()).toBe(1);
      h.clock.advance(61 * 60_000);
      expect(await send(3)).toBe(200);
      expect(warnings()).toBe(2);

      const health = (await (await fetch(`${h.backend.url}/healthz`)).json()) as { status: string; unservedPortals: Array<{ portalId: number; events: number }> };
      expect(health).toMatchObject({ status: 'ok', unservedPortals: [{ portalId: 999, events: 3 }] });
      const metrics = await (await fetch(`${h.backend.url}/metrics`)).text();
      expect(metrics).toMatch(/lifecycle_unserved_portal_events_total\{portal="999"\} 3/);
    });
  });
});
