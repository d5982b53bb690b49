import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStore } from '../adapters/store';
import type { Store } from '../app/ports/store-ports';
import { loadFunnelReport, loadStockSeries, type ReportScope } from '../app/reporting';
import { DAY_MS, defaultModel, funnelReport, type CompiledModel, type FunnelReport } from '../core';
import { B7_END, B7_PORTAL, B7_YEARS, bulkSeedB7 } from './report-scale-seed';
import type { Benchmark } from './types';

/** The size: 2,000,000 contacts over three years, about 10,000,000 ledger rows. */
const DEFAULT_CONTACTS = 2_000_000;
const REQUESTS = 50;
const CONCURRENCY = 10;

interface Latency {
  p50: number;
  p99: number;
  /** CPU time of this process per request (user + system), ms: what a request costs when the cores are shared. */
  cpuMs: number;
}

/** p50/p99 of `requests` calls made `concurrency` at a time, and the process's CPU time per call. */
async function latencies(call: () => Promise<unknown>): Promise<Latency> {
  const times: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const t0 = performance.now();
        await call();
        times.push(performance.now() - t0);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), cpuMs: (cpu.user + cpu.system) / 1000 / REQUESTS };
}

/** Rows and contacts the aggregates hold: moves of all time, and those from outside (records that entered). */
async function heldBy(store: Store): Promise<{ rows: number; contacts: number }> {
  const all = await store.aggregates.stockAggregates(B7_PORTAL, 'contact', B7_END / DAY_MS + 1, B7_END / DAY_MS + 1);
  return {
    rows: all.movesBefore.reduce((sum, m) => sum + m.count, 0),
    contacts: all.movesBefore.filter((m) => m.fromStage === '').reduce((sum, m) => sum + m.count, 0),
  };
}

const withoutVelocity = (r: FunnelReport) => ({ ...r, stages: r.stages.map(({ velocity, ...rest }) => ({ ...rest, stays: velocity.stays })) });

interface DialectRun {
  label: string;
  url: string;
  /** Seeded by an earlier run and kept (B7_SQLITE_FILE / B7_POSTGRES_URL with ?schema=): not seeded again. */
  kept: boolean;
  cleanup: () => Promise<void>;
}

function dialects(): DialectRun[] {
  const runs: DialectRun[] = [];
  const keptFile = process.env['B7_SQLITE_FILE'];
  if (keptFile) runs.push({ label: 'SQLite', url: `sqlite:${keptFile}`, kept: true, cleanup: async () => undefined });
  else {
    const folder = mkdtempSync(join(tmpdir(), 'lc-b7-'));
    runs.push({ label: 'SQLite', url: `sqlite:${join(folder, 'b7.db')}`, kept: false, cleanup: async () => rmSync(folder, { recursive: true, force: true }) });
  }
  const pg = process.env['B7_POSTGRES_URL'];
  if (pg) runs.push({ label: 'PostgreSQL', url: pg, kept: true, cleanup: async () => undefined });
  return runs;
}

/**
 * One dialect: seed (unless kept), then the report path's latency and the serving process's peak RSS, then the
 * whole-ledger baseline, which also checks the seed: every count of the 365-day report from the aggregates equals
 * the same report swept from the whole ledger.
 */
async function runDialect(
  run: DialectRun,
  model: CompiledModel,
  contacts: number,
  log: (line: string) => void,
): Promise<{ worstP99: number; day365: Latency; baseline: () => Promise<{ lines: string[]; ratio: number }> }> {
  let seedNote = 'seeded by an earlier run of this bench and kept';
  if (!run.kept || process.env['B7_SEED'] === '1') {
    const seeded = await bulkSeedB7(run.url, {}, model, contacts, log);
    seedNote = `seeded in ${seeded.seconds.toFixed(0)} s by the bulk path`;
  }
  const store = await createStore(run.url);
  try {
    const held = await heldBy(store);
    const deps = { ledger: store.ledger, aggregates: store.aggregates, model: () => model };
    const scope = (days: number): ReportScope => ({ portalId: B7_PORTAL, objectType: 'contact', period: { start: B7_END - days * DAY_MS, end: B7_END } });
    const loadBefore = loadavg()[0] ?? 0;
    log(`B7 ${run.label}: ${held.rows.toLocaleString('en-US')} rows; measuring the report path`);
    const day30 = await latencies(() => loadFunnelReport(deps, scope(30)));
    const day365 = await latencies(() => loadFunnelReport(deps, scope(365)));
    const dashboard = await latencies(() => Promise.all([loadFunnelReport(deps, scope(30)), loadStockSeries(deps, scope(30))]));
    const servingRssMb = process.resourceUsage().maxRSS / 1024;
    const loadAfter = loadavg()[0] ?? 0;

    const row = (name: string, l: Latency) => `| ${name} | ${l.p50.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.cpuMs.toFixed(1)} |`;
    const head = [
      `**${run.label}**: ${held.contacts.toLocaleString('en-US')} contacts, ${held.rows.toLocaleString('en-US')} ledger rows over ${B7_YEARS} years (${seedNote}); ${REQUESTS} requests, ${CONCURRENCY} concurrent, in-process; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on 2 cores.`,
      '',
      '| call | p50 ms | p99 ms | CPU ms per call |',
      '|---|---|---|---|',
      row('report, 30 days', day30),
      row('report, 365 days', day365),
      row('dashboard: report + stock series, 30 days', dashboard),
    ];
    return {
      worstP99: Math.max(day30.p99, day365.p99, dashboard.p99),
      day365,
      // After every dialect's report path, so that no whole-ledger load inflates a serving RSS.
      baseline: async () => {
        const again = await createStore(run.url);
        try {
          log(`B7 ${run.label}: whole-ledger baseline`);
          const againDeps = { ledger: again.ledger, aggregates: again.aggregates, model: () => model };
          const baselineStart = performance.now();
          const ledger = await again.ledger.entries(B7_PORTAL, { objectType: 'contact' });
          const swept = funnelReport(ledger, model, scope(365).period);
          const baselineMs = performance.now() - baselineStart;
          const baselineRssMb = process.resourceUsage().maxRSS / 1024;
          const fromAggregates = (await loadFunnelReport(againDeps, scope(365))).report;
          if (JSON.stringify(withoutVelocity(fromAggregates)) !== JSON.stringify(withoutVelocity(swept))) {
            throw new Error(`B7 ${run.label}: the report from the aggregates differs from the whole-ledger sweep: the seed is not what the writers produce`);
          }
          return {
            ratio: baselineMs / day365.p50,
            lines: [
              ...head,
              `| baseline: whole-ledger read + sweep, 365 days (one call) | ${baselineMs.toFixed(0)} | — | — |`,
              '',
              `Peak RSS of the process after the report calls (the serving path, of this dialect and those before it${run.kept ? '' : ', and the seed'}): ${servingRssMb.toFixed(0)} MB; after the whole-ledger baseline: ${baselineRssMb.toFixed(0)} MB. The 365-day report from the aggregates equals the whole-ledger sweep in every count (the check of the seed).`,
              '',
            ],
          };
        } finally {
          await again.close();
        }
      },
    };
  } finally {
    await store.close();
  }
}

export const reportScaleBenchmark: Benchmark = {
  id: 'B7',
  title: 'Report at scale (aggregates vs. whole-ledger sweep)',
  async run({ quick, log }) {
    const contacts = quick ? 5_000 : Number(process.env['B7_CONTACTS'] ?? DEFAULT_CONTACTS);
    const model = defaultModel();
    const lines: string[] = [];
    let worstP99 = 0;
    let ratio = Infinity;
    const runs = dialects();
    try {
      const measured = [];
      for (const run of runs) measured.push(await runDialect(run, model, contacts, log));
      for (const result of measured) {
        const baseline = await result.baseline();
        lines.push(...baseline.lines);
        worstP99 = Math.max(worstP99, result.worstP99);
        ratio = Math.min(ratio, baseline.ratio);
      }
    } finally {
      for (const run of runs) await run.cleanup();
    }
    lines.push(
      "Seed: the bulk path (`src/bench/report-scale-seed.ts`) writes the ledger with the unit of work's insert and the aggregates with the delta the unit of work applies for new records (accumulated over 100,000 contacts), and no record state, facts or outbox (reports read none). Histories: every stage and detour, recycles, Fastpasses, dead ends and churn, about 5 rows per contact.",
      "Run at the issue's size: `B7_CONTACTS=2000000 npm run bench -- --only B7` (the default). Keep a seeded database between runs with `B7_SQLITE_FILE=/path/b7.db` and `B7_POSTGRES_URL=postgres://…/db?schema=b7` (PostgreSQL runs only when that is set; a kept database is seeded only when `B7_SEED=1`).",
      'better-sqlite3 answers synchronously on one connection, so 10 concurrent requests queue: a p50 is about ten single requests. "CPU ms per call" is this process\'s CPU time per request: on a machine shared with other work, wall-clock latency is CPU time stretched by the load.',
    );
    return {
      id: 'B7',
      title: this.title,
      lines,
      ratio: { value: ratio, against: 'whole-ledger sweep (same ledger, same run) ÷ aggregate report p50, 365 days (lowest over the dialects)' },
      target: { description: `p99 < 200 ms for every call, ${CONCURRENCY} concurrent`, met: worstP99 < 200 },
    };
  },
};
