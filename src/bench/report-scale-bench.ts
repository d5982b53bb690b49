import { defaultModel } from '../core';
import { benchDatabases, KEPT_DATABASES_NOTE, seedUnlessKept, type BenchDatabase } from './bench-databases';
import { ChildRpc, type WithoutId } from './child-rpc';
import { WARM_UP_CALLS, WARM_UP_NOTE, type Latency } from './latency';
import { B7_YEARS } from './report-scale-seed';
import type { ReportServingAnswer, ReportServingRequest } from './report-serving-process';
import type { Benchmark } from './types';
import { baselineLimits, baselineSize, FALLBACK_LADDER, wholeLedgerBaseline, type BaselineLimits } from './whole-ledger-baseline';

/** The size: 2,000,000 contacts over three years, about 10,000,000 ledger rows. */
const DEFAULT_CONTACTS = 2_000_000;
const QUICK_CONTACTS = 5_000;
const REQUESTS = 50;
const CONCURRENCY = 10;
const P99_GOAL_MS = 200;
const RSS_GOAL_MB = 300;

const fmt = (n: number) => n.toLocaleString('en-US');

/** The report path of one database, measured in a serving process of its own (report-serving-process.ts). */
async function measureServing(database: BenchDatabase, log: (line: string) => void): Promise<ReportServingAnswer> {
  const child = ChildRpc.fork<WithoutId<ReportServingRequest>>('report-serving-process.js', 'B7 serving process', { log });
  try {
    log(`B7 ${database.label}: measuring the report path in a serving process of its own`);
    return await child.request<ReportServingAnswer>({ type: 'measure', url: database.url, requests: REQUESTS, concurrency: CONCURRENCY });
  } finally {
    await child.stop();
  }
}

/**
 * The whole-ledger baseline of one database (whole-ledger-baseline.ts: its own process, falling back to the ledger as
 * it stood earlier when the whole ledger does not survive), with the seed check where it ran, as lines and the ratio.
 */
async function baselineLines(
  database: BenchDatabase,
  served: ReportServingAnswer,
  limits: BaselineLimits,
  log: (line: string) => void,
): Promise<{ lines: string[]; ratio: number; ms: number | null }> {
  log(`B7 ${database.label}: whole-ledger baseline in a process of its own (heap ${fmt(limits.heapMb)} MB, limit ${fmt(limits.limitMs / 1000)} s)`);
  const { outcome, failures } = await wholeLedgerBaseline('report', database, limits, log);
  const failed = failures.length > 0 ? ` Not survived: ${failures.join('; ')}.` : '';
  if (!outcome) {
    return { ratio: NaN, ms: null, lines: [`Whole-ledger baseline: survived at no size down to ${FALLBACK_LADDER.smallestDays} days of history.${failed}`] };
  }
  if (outcome.aggregatesEqualSweep !== true) {
    throw new Error(`B7 ${database.label}: the 365-day report from the aggregates differs from the whole-ledger sweep: the seed is not what the writers produce`);
  }
  const wholeLedger = outcome.historyDays === null;
  return {
    ratio: outcome.wallMs / served.day365.p50,
    ms: outcome.wallMs,
    lines: [
      `Whole-ledger baseline (today's computation: read every contact row, sweep the 365-day report), one call in a process of its own with a ${fmt(limits.heapMb)} MB heap, over ${baselineSize(outcome)}: ${(outcome.wallMs / 1000).toFixed(1)} s (${(outcome.cpuMs / 1000).toFixed(1)} s of CPU), peak RSS ${fmt(Math.round(outcome.peakRssMb))} MB, load average ${outcome.load[0].toFixed(1)} → ${outcome.load[1].toFixed(1)}.${failed} The report from the aggregates for the 365 days ${wholeLedger ? 'before the end' : 'before that date'} equals the sweep in every count (the check of this database's seed${wholeLedger ? '' : ', over that part of its history'}).`,
    ],
  };
}

export const reportScaleBenchmark: Benchmark = {
  id: 'B7',
  title: 'Report at scale (aggregates vs. whole-ledger sweep)',
  async run({ quick, log }) {
    const contacts = quick ? QUICK_CONTACTS : Number(process.env['B7_CONTACTS'] ?? DEFAULT_CONTACTS);
    const model = defaultModel();
    const limits = baselineLimits(process.env);
    const lines: string[] = [];
    let worstP99 = 0;
    let worstRss = 0;
    let ratio = Infinity;
    const ratioNotes: string[] = [];
    const databases = benchDatabases(process.env, 'lc-b7-');
    try {
      const served: Array<{ database: BenchDatabase; seedNote: string; answer: ReportServingAnswer }> = [];
      for (const database of databases) {
        const seedNote = await seedUnlessKept(database, process.env, model, contacts, log);
        served.push({ database, seedNote, answer: await measureServing(database, log) });
      }
      // After every database's report path: the baselines' processes then compete with no serving measurement.
      for (const { database, seedNote, answer } of served) {
        const row = (name: string, l: Latency) => `| ${name} | ${l.firstMs.toFixed(1)} | ${l.p50.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.cpuMs.toFixed(1)} |`;
        const baseline = await baselineLines(database, answer, limits, log);
        worstP99 = Math.max(worstP99, answer.day30.p99, answer.day365.p99, answer.dashboard.p99);
        worstRss = Math.max(worstRss, answer.peakRssMb);
        if (baseline.ratio < ratio) ratio = baseline.ratio;
        if (baseline.ms === null) ratioNotes.push(`${database.label}: no baseline`);
        lines.push(
          `**${database.label}**: ${fmt(answer.held.contacts)} contacts, ${fmt(answer.held.rows)} ledger rows over ${B7_YEARS} years (${seedNote}); ${REQUESTS} requests, ${CONCURRENCY} concurrent, in a serving process of its own that never seeded nor read the whole ledger (on SQLite it reads the aggregates on reader threads, as the report API does); load average ${answer.load[0].toFixed(1)} before, ${answer.load[1].toFixed(1)} after, on 2 cores.`,
          '',
          '| call | first call ms (cold, not counted) | p50 ms | p99 ms | CPU ms per call |',
          '|---|---|---|---|---|',
          row('report, 30 days', answer.day30),
          row('report, 365 days', answer.day365),
          row('dashboard: report + stock series, 30 days', answer.dashboard),
          '',
          `First call after opening the store (the first 30-day report): ${answer.day30.firstMs.toFixed(1)} ms.`,
          '',
          `Peak RSS of the serving process: ${fmt(Math.round(answer.peakRssMb))} MB (Node, the store opened and its migrations checked, the ${3 * (WARM_UP_CALLS + CONCURRENCY + REQUESTS)} calls, warm-ups included; goal < ${RSS_GOAL_MB} MB: ${answer.peakRssMb < RSS_GOAL_MB ? 'met' : 'MISSED'}).`,
          '',
          ...baseline.lines,
          '',
        );
      }
    } finally {
      for (const database of databases) await database.cleanup();
    }
    lines.push(
      "Seed: the bulk path (`src/bench/report-scale-seed.ts`) writes the aggregates with the delta the unit of work applies for new records (accumulated over 100,000 contacts) and loads the unit of work's ledger rows in bulk (a prepared insert on SQLite, unnested column arrays on PostgreSQL) with the ledger's secondary indexes dropped during the load and rebuilt from their own definitions after; no record state, facts or outbox (reports read none). Histories: every stage and detour, recycles, Fastpasses, dead ends and churn, about 5 rows per contact.",
      `Run at the issue's size: \`npm run bench -- --only B7\` (2,000,000 contacts by default). ${KEPT_DATABASES_NOTE}`,
      `${WARM_UP_NOTE} The goal is judged on the warm ${REQUESTS} requests.`,
      'better-sqlite3 answers synchronously on one connection, so 10 concurrent requests queue: a p50 is about ten single requests. "CPU ms per call" is the serving process\'s CPU time per request: on a machine shared with other work, wall-clock latency is CPU time stretched by the load.',
    );
    if (ratio === Infinity) ratio = NaN;
    const note = ratioNotes.length > 0 ? ` (${ratioNotes.join('; ')})` : '';
    return {
      id: 'B7',
      title: this.title,
      lines,
      ratio: {
        value: ratio,
        against: `whole-ledger sweep (same run; over an earlier, smaller ledger where the whole one did not survive, as stated above) ÷ aggregate report p50, 365 days (lowest over the dialects)${note}`,
      },
      target: {
        description: `p99 < ${P99_GOAL_MS} ms for every call, ${CONCURRENCY} concurrent; peak RSS of the serving process < ${RSS_GOAL_MB} MB`,
        met: worstP99 < P99_GOAL_MS && worstRss < RSS_GOAL_MB,
      },
    };
  },
};
