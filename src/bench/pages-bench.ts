import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { signedRequestHeaders } from '../adapters/hubspot/signature';
import { createStore } from '../adapters/store';
import { BackfillJobs, RateLimitTally } from '../app/pages';
import { SimulatedClock } from '../app/ports/clock';
import { StaticPortalDirectory } from '../app/ports/portal-directory';
import { AuditPageViewSchema, pageApiPaths, withPageClaims } from '../contracts/page-api';
import { defaultModel, type CompiledModel } from '../core';
import { createHttpApp } from '../http/create-http-app';
import { pageRoutes } from '../http/routes/page-routes';
import { createLogger } from '../main/logger';
import { benchDatabases, heldBy, KEPT_DATABASES_NOTE, seedUnlessKept, type BenchDatabase } from './bench-databases';
import { latencies, type Latency } from './latency';
import { B7_END as END, B7_PORTAL as PORTAL } from './report-scale-seed';
import type { Benchmark } from './types';
import { baselineLimits, baselineSize, FALLBACK_LADDER, wholeLedgerBaseline } from './whole-ledger-baseline';

const SECRET = 'bench-b14-secret';
const CLAIMS = { portalId: PORTAL, userId: 1, userEmail: 'admin@bench.test' };
const REQUESTS = 50;
const CONCURRENCY = 10;
const P99_GOAL_MS = 300;
const DEFAULT_CONTACTS = 30_000;
const QUICK_CONTACTS = 5_000;

const fmt = (n: number) => n.toLocaleString('en-US');

interface PagesMeasured {
  held: { rows: number; contacts: number };
  calls: Array<{ name: string } & Latency>;
  load: [number, number];
}

/**
 * The page calls against one database: a store and the /pages routes served over HTTP in this process, each call a
 * signed GET from this process's client. The store is opened here and closed before the baseline runs.
 */
async function measurePages(database: BenchDatabase, model: CompiledModel, log: (line: string) => void): Promise<PagesMeasured> {
  const store = await createStore(database.url);
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
    const held = await heldBy(store);
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
    const measured: PagesMeasured['calls'] = [];
    for (const [name, call] of calls) {
      measured.push({ name, ...(await latencies(REQUESTS, CONCURRENCY, call)) });
      log(`B14 ${database.label}: ${name} measured`);
    }
    return { held, calls: measured, load: [loadBefore, loadavg()[0] ?? 0] };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  }
}

/**
 * B14 (issue 14): the app pages' backend calls, each a real signed HTTP request (v3 signature verified, as from
 * hubspot.fetch) to the Express routes, over B7's databases: a fresh SQLite seed by B7's bulk seed, or the kept B7
 * databases (B7_SQLITE_FILE, B7_POSTGRES_URL: SQLite and PostgreSQL at the issue's size). The baseline is what an
 * Audit page costs without the keyset read: the portal's whole ledger loaded, filtered and sorted for one page (same
 * ledger, same run), in a process of its own (whole-ledger-baseline.ts), never in the serving process.
 */
export const pagesBenchmark: Benchmark = {
  id: 'B14',
  title: 'App pages: signed page endpoints at a large ledger',
  async run({ quick, log }) {
    const contacts = quick ? QUICK_CONTACTS : Number(process.env['B14_CONTACTS'] ?? process.env['B7_CONTACTS'] ?? DEFAULT_CONTACTS);
    const model = defaultModel();
    const limits = baselineLimits(process.env);
    const databases = benchDatabases(process.env, 'lc-b14-');
    const lines: string[] = [];
    let worstP99 = 0;
    let ratio = Infinity;
    try {
      const measured: Array<{ database: BenchDatabase; seedNote: string; pages: PagesMeasured }> = [];
      for (const database of databases) {
        const seedNote = await seedUnlessKept(database, process.env, model, contacts, log);
        measured.push({ database, seedNote, pages: await measurePages(database, model, log) });
      }
      for (const { database, seedNote, pages } of measured) {
        log(`B14 ${database.label}: whole-ledger Audit baseline in a process of its own (heap ${fmt(limits.heapMb)} MB, limit ${fmt(limits.limitMs / 1000)} s)`);
        const { outcome, failures } = await wholeLedgerBaseline('audit', database, limits, log);
        const auditP50 = pages.calls.find((m) => m.name === 'Audit, kind = dead_end')?.p50 ?? NaN;
        worstP99 = Math.max(worstP99, ...pages.calls.map((m) => m.p99));
        if (outcome && outcome.wallMs / auditP50 < ratio) ratio = outcome.wallMs / auditP50;
        const baselineRow = outcome
          ? `| baseline: Audit "dead_end" page from ${baselineSize(outcome)} (load, filter, sort; one call in a process of its own, peak RSS ${fmt(Math.round(outcome.peakRssMb))} MB) | ${outcome.wallMs.toFixed(0)} | — | ${outcome.cpuMs.toFixed(0)} |`
          : `| baseline: Audit page from the whole ledger: survived at no size down to ${FALLBACK_LADDER.smallestDays} days of history | — | — | — |`;
        lines.push(
          `**${database.label}**: ${fmt(pages.held.contacts)} contacts, ${fmt(pages.held.rows)} ledger rows over 3 years (B7's bulk seed; ${seedNote}); each call a signed HTTP GET (v3 verified) to the /pages routes served in this process; ${REQUESTS} requests, ${CONCURRENCY} concurrent; load average ${pages.load[0].toFixed(1)} before, ${pages.load[1].toFixed(1)} after, on 2 cores.`,
          '',
          '| call | p50 ms | p99 ms | CPU ms per call |',
          '|---|---|---|---|',
          ...pages.calls.map((m) => `| ${m.name} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.cpuMs.toFixed(1)} |`),
          baselineRow,
          ...(failures.length > 0 ? ['', `Whole-ledger Audit baseline not survived: ${failures.join('; ')}.`] : []),
          '',
        );
      }
    } finally {
      for (const database of databases) await database.cleanup();
    }
    if (ratio === Infinity) ratio = NaN;
    lines.push(
      'The Funnel page calls the same aggregate-backed use cases as B7 (report + stock series); its cost is theirs. "CPU ms per call" is this process\'s CPU time per request, server and client together: on a machine shared with other work, wall-clock latency is that time stretched by the load. The whole-ledger baseline never runs in the serving process.',
      `Run on B7's kept databases (SQLite and PostgreSQL at the issue's size): \`npm run bench -- --only B14\` with the variables below. ${KEPT_DATABASES_NOTE}`,
    );
    return {
      id: 'B14',
      title: this.title,
      lines,
      ratio: {
        value: ratio,
        against:
          'whole-ledger Audit page (same run; over an earlier, smaller ledger where the whole one did not survive, as stated above) ÷ keyset Audit page p50, kind = dead_end (lowest over the dialects)',
      },
      target: { description: `p99 < ${P99_GOAL_MS} ms for every page call`, met: worstP99 < P99_GOAL_MS },
    };
  },
};
