import { loadavg } from 'node:os';
import { signedRequestHeaders } from '../adapters/hubspot/signature';
import { AuditPageViewSchema, pageApiPaths, withPageClaims } from '../contracts/page-api';
import { defaultModel, type CompiledModel } from '../core';
import { benchDatabases, KEPT_DATABASES_NOTE, seedUnlessKept, type BenchDatabase } from './bench-databases';
import { ChildRpc, type WithoutId } from './child-rpc';
import { latencies, WARM_UP_NOTE, type Latency } from './latency';
import type { PagesServingRequest } from './pages-serving-process';
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
  /** Peak RSS of the serving process after the calls, MB: Node, the store, the routes, the calls; no load client. */
  peakRssMb: number;
  load: [number, number];
}

/**
 * The page calls against one database: the store and the /pages routes served over HTTP in a process of their own
 * (pages-serving-process.ts), each call a signed GET from this process's client. The server stops before the
 * baseline runs.
 */
async function measurePages(database: BenchDatabase, model: CompiledModel, log: (line: string) => void): Promise<PagesMeasured> {
  const server = ChildRpc.fork<WithoutId<PagesServingRequest>>('pages-serving-process.js', 'B14 serving process', { log });
  try {
    const { port } = await server.request<{ port: number }>({ type: 'start', url: database.url, portalId: PORTAL, clientSecret: SECRET, clockAt: END });
    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string, params: Record<string, string | number | undefined> = {}): Promise<unknown> => {
      const url = `${base}${withPageClaims(path, CLAIMS, params)}`;
      const response = await fetch(url, { headers: signedRequestHeaders({ clientSecret: SECRET, method: 'GET', url, body: '', timestamp: END, legacyVersion: 'v2' }) });
      if (!response.ok) throw new Error(`B14: ${path} answered ${response.status}: ${await response.text()}`);
      return response.json();
    };
    const day = (offset: number) => new Date(END - offset * 86_400_000).toISOString().slice(0, 10);
    // A cursor ten pages deep (keyset pages cost the same wherever they start), walked just before its call is
    // measured, so the first Funnel call is the first read after opening the store.
    let deepCursor: string | undefined;
    const walkTenPagesDeep = async () => {
      for (let page = 0; page < 10; page++) deepCursor = AuditPageViewSchema.parse(await get(pageApiPaths.audit(), { cursor: deepCursor })).nextCursor ?? undefined;
    };

    const calls: Array<{ name: string; call: () => Promise<unknown>; before?: () => Promise<void> }> = [
      { name: 'Funnel, 30 days (table + stock series)', call: () => get(pageApiPaths.funnel(), { from: day(30), to: day(1) }) },
      { name: 'Funnel, 365 days', call: () => get(pageApiPaths.funnel(), { from: day(365), to: day(1) }) },
      { name: 'Sync health', call: () => get(pageApiPaths.syncHealth()) },
      { name: 'Audit, newest 50', call: () => get(pageApiPaths.audit()) },
      { name: 'Audit, 50 rows ten pages deep (cursor)', before: walkTenPagesDeep, call: () => get(pageApiPaths.audit(), { cursor: deepCursor }) },
      { name: 'Audit, kind = dead_end', call: () => get(pageApiPaths.audit(), { kind: 'dead_end' }) },
      { name: 'Audit, moved into one stage', call: () => get(pageApiPaths.audit(), { stage: model.pathStages[1]?.id ?? 'lead_acquired' }) },
    ];
    const serverCpu = () => server.request<number>({ type: 'cpuMs' });
    const loadBefore = loadavg()[0] ?? 0;
    const measured: PagesMeasured['calls'] = [];
    for (const { name, call, before } of calls) {
      await before?.();
      measured.push({ name, ...(await latencies(REQUESTS, CONCURRENCY, call, serverCpu)) });
      log(`B14 ${database.label}: ${name} measured`);
    }
    const load: [number, number] = [loadBefore, loadavg()[0] ?? 0];
    const held = await server.request<PagesMeasured['held']>({ type: 'held' });
    return { held, calls: measured, peakRssMb: await server.request<number>({ type: 'peakRssMb' }), load };
  } finally {
    await server.stop();
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
          ? `| baseline: Audit "dead_end" page from ${baselineSize(outcome)} (load, filter, sort; one call in a process of its own, peak RSS ${fmt(Math.round(outcome.peakRssMb))} MB) | — | ${outcome.wallMs.toFixed(0)} | — | ${outcome.cpuMs.toFixed(0)} |`
          : `| baseline: Audit page from the whole ledger: survived at no size down to ${FALLBACK_LADDER.smallestDays} days of history | — | — | — | — |`;
        lines.push(
          `**${database.label}**: ${fmt(pages.held.contacts)} contacts, ${fmt(pages.held.rows)} ledger rows over 3 years (B7's bulk seed; ${seedNote}); each call a signed HTTP GET (v3 verified) from this process to the /pages routes served in a process of their own; ${REQUESTS} requests, ${CONCURRENCY} concurrent; load average ${pages.load[0].toFixed(1)} before, ${pages.load[1].toFixed(1)} after, on 2 cores.`,
          '',
          '| call | first call ms (cold, not counted) | p50 ms | p99 ms | CPU ms per call |',
          '|---|---|---|---|---|',
          ...pages.calls.map((m) => `| ${m.name} | ${m.firstMs.toFixed(1)} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.cpuMs.toFixed(1)} |`),
          baselineRow,
          ...(failures.length > 0 ? ['', `Whole-ledger Audit baseline not survived: ${failures.join('; ')}.`] : []),
          '',
          `First call after opening the store (the first Funnel call, 30 days): ${(pages.calls[0]?.firstMs ?? NaN).toFixed(1)} ms. Peak RSS of the serving process: ${fmt(Math.round(pages.peakRssMb))} MB (Node, the store opened and its migrations checked, the routes, the calls; the load client runs in the bench process).`,
          '',
        );
      }
    } finally {
      for (const database of databases) await database.cleanup();
    }
    if (ratio === Infinity) ratio = NaN;
    lines.push(
      'The Funnel page calls the same aggregate-backed use cases as B7 (report + stock series, read together); its cost is theirs. As `lifecycle serve` serves it, on SQLite the aggregates are read on reader threads (one connection each, as many as cores, at most 4), and "CPU ms per call" counts them too. "CPU ms per call" is the serving process\'s CPU time per request (signature check, routes, store, JSON), not the load client\'s: on a machine shared with other work, wall-clock latency is that time stretched by the load, the client\'s share included. The whole-ledger baseline never runs in the serving process.',
      `${WARM_UP_NOTE} The goal is judged on the warm ${REQUESTS} requests.`,
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
