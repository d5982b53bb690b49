import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { signedRequestHeaders } from '../adapters/hubspot/signature';
import { createStore } from '../adapters/store';
import { BackfillJobs, RateLimitTally } from '../app/pages';
import { SimulatedClock } from '../app/ports/clock';
import { StaticPortalDirectory } from '../app/ports/portal-directory';
import { AuditPageViewSchema, pageApiPaths, withPageClaims } from '../contracts/page-api';
import { defaultModel } from '../core';
import { createHttpApp } from '../http/create-http-app';
import { pageRoutes } from '../http/routes/page-routes';
import { createLogger } from '../main/logger';
import { B7_END as END, B7_PORTAL as PORTAL, bulkSeedB7 } from './report-scale-seed';
import type { Benchmark } from './types';

const SECRET = 'bench-b14-secret';

/**
 * p50/p99 of `requests` calls made `concurrency` at a time, and this process's CPU time per call (user + system; the
 * server and its HTTP client share the process): what a call costs when the cores are shared with other work.
 */
async function latencies(requests: number, concurrency: number, call: () => Promise<unknown>): Promise<{ p50: number; p99: number; cpuMs: number }> {
  const times: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const t0 = performance.now();
        await call();
        times.push(performance.now() - t0);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), cpuMs: (cpu.user + cpu.system) / 1000 / requests };
}
const CLAIMS = { portalId: PORTAL, userId: 1, userEmail: 'admin@bench.test' };

/**
 * B14 (issue 14): the app pages' backend calls, each a real signed HTTP request (v3 signature verified, as from
 * hubspot.fetch) to the Express routes over a SQLite store seeded by B7's bulk seed. The baseline is what an Audit page costs
 * without the keyset read: the portal's whole ledger loaded, filtered and sorted for one page (same ledger, same run).
 */
export const pagesBenchmark: Benchmark = {
  id: 'B14',
  title: 'App pages: signed page endpoints at a large ledger',
  async run({ quick, log }) {
    const contacts = quick ? 5_000 : Number(process.env['B14_CONTACTS'] ?? process.env['B7_CONTACTS'] ?? 30_000);
    const model = defaultModel();
    const folder = mkdtempSync(join(tmpdir(), 'lc-b14-'));
    const databaseUrl = `sqlite:${join(folder, 'b14.db')}`;
    const seeded = await bulkSeedB7(databaseUrl, {}, model, contacts, log);
    const store = await createStore(databaseUrl);
    const clock = new SimulatedClock(END);
    const logger = createLogger('silent');
    const server = http.createServer(
      createHttpApp({
        logger,
        routers: [
          pageRoutes({
            store,
            model: () => model,
            portals: new StaticPortalDirectory([{ portalId: PORTAL, accessToken: 'unused', clientSecrets: [SECRET], rateLimit: 110 }]),
            clock,
            logger,
            publicBaseUrl: undefined,
            rateLimits: new RateLimitTally(),
            backfills: new BackfillJobs({ store, logger, run: null }),
          }),
        ],
      }),
    );
    try {
      const { rows, seconds: seedSeconds } = seeded;
      // Slow calls queue behind each other on SQLite's one connection: keep idle sockets open longer than Node's 5 s
      // default, or a reused keep-alive socket is reset under the client (ECONNRESET) and the run measures nothing.
      server.keepAliveTimeout = 120_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const get = async (path: string, params: Record<string, string | number | undefined> = {}): Promise<unknown> => {
        const url = `${base}${withPageClaims(path, CLAIMS, params)}`;
        const response = await fetch(url, { headers: signedRequestHeaders({ clientSecret: SECRET, method: 'GET', url, body: '', timestamp: clock.now(), legacyVersion: 'v2' }) });
        if (!response.ok) throw new Error(`B14: ${path} answered ${response.status}: ${await response.text()}`);
        return response.json();
      };

      // A cursor ten pages deep: keyset pages cost the same wherever they start.
      let deepCursor: string | undefined;
      for (let page = 0; page < 10; page++) deepCursor = AuditPageViewSchema.parse(await get(pageApiPaths.audit(), { cursor: deepCursor })).nextCursor ?? undefined;
      const day = (offset: number) => new Date(END - offset * 86_400_000).toISOString().slice(0, 10);

      const calls: Array<[string, () => Promise<unknown>]> = [
        ['Funnel, 30 days (table + stock series)', () => get(pageApiPaths.funnel(), { from: day(30), to: day(1) })],
        ['Funnel, 365 days', () => get(pageApiPaths.funnel(), { from: day(365), to: day(1) })],
        ['Sync health', () => get(pageApiPaths.syncHealth())],
        ['Audit, newest 50', () => get(pageApiPaths.audit())],
        ['Audit, 50 rows ten pages deep (cursor)', () => get(pageApiPaths.audit(), { cursor: deepCursor })],
        ['Audit, kind = dead_end', () => get(pageApiPaths.audit(), { kind: 'dead_end' })],
        ['Audit, moved into one stage', () => get(pageApiPaths.audit(), { stage: model.pathStages[1]?.id ?? 'lead_acquired' })],
      ];
      const loadBefore = loadavg()[0] ?? 0;
      const measured: Array<{ name: string; p50: number; p99: number; cpuMs: number }> = [];
      for (const [name, call] of calls) {
        measured.push({ name, ...(await latencies(50, 10, call)) });
        log(`B14: ${name} measured`);
      }

      const loadAfter = loadavg()[0] ?? 0;
      const baselineStart = performance.now();
      const everything = await store.ledger.entries(PORTAL);
      everything
        .filter((entry) => entry.kind === 'dead_end')
        .sort((a, b) => b.occurredAt - a.occurredAt)
        .slice(0, 50);
      const baselineMs = performance.now() - baselineStart;
      const auditP50 = measured.find((m) => m.name === 'Audit, kind = dead_end')?.p50 ?? NaN;
      const worstP99 = Math.max(...measured.map((m) => m.p99));
      return {
        id: 'B14',
        title: this.title,
        lines: [
          `SQLite, ${contacts.toLocaleString('en-US')} contacts, ${rows.toLocaleString('en-US')} ledger rows over 3 years (B7's bulk seed, ${seedSeconds.toFixed(0)} s); each call a signed HTTP GET (v3 verified) to the /pages routes in this process; 50 requests, 10 concurrent; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on 2 cores.`,
          '',
          '| call | p50 ms | p99 ms | CPU ms per call |',
          '|---|---|---|---|',
          ...measured.map((m) => `| ${m.name} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.cpuMs.toFixed(1)} |`),
          `| baseline: Audit "dead_end" page from the whole ledger (load, filter, sort; one call) | ${baselineMs.toFixed(0)} | — | — |`,
          '',
          'The Funnel page calls the same aggregate-backed use cases as B7 (report + stock series); its cost is theirs. "CPU ms per call" is this process\'s CPU time per request, server and client together: on a machine shared with other work, wall-clock latency is that time stretched by the load.',
        ],
        ratio: { value: baselineMs / auditP50, against: 'whole-ledger Audit page (same ledger, same run) ÷ keyset Audit page p50, kind = dead_end' },
        target: { description: 'p99 < 300 ms for every page call', met: worstP99 < 300 },
      };
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
