import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStore, type StoreOptions } from '../adapters/store';
import { openDatabase } from '../adapters/store/database';
import type { InboxEventInput, Store } from '../app/ports/store-ports';
import type { Benchmark } from './types';

const PORTAL = 101;
const ROWS_PER_TRANSACTION = 100;
const RUNS = 3;

interface Target {
  name: string;
  open(): Promise<{ store: Store; dispose: () => Promise<void> }>;
}

/** A webhook event row as the inbox stores it (payload of a typical size). */
function event(run: string, n: number): InboxEventInput {
  return {
    dedupKey: `${run}:${n}`,
    eventId: String(n),
    subscriptionType: 'contact.propertyChange',
    objectType: 'contact',
    objectId: String(100_000 + (n % 50_000)),
    propertyName: 'hs_analytics_num_page_views',
    propertyValue: String(n % 97),
    changeSource: 'ANALYTICS',
    occurredAt: 1_790_000_000_000 + n,
    attemptNumber: 0,
    payload: JSON.stringify({
      eventId: n,
      subscriptionId: 4242,
      portalId: PORTAL,
      appId: 4242001,
      occurredAt: 1_790_000_000_000 + n,
      subscriptionType: 'contact.propertyChange',
      attemptNumber: 0,
      objectId: 100_000 + (n % 50_000),
      propertyName: 'hs_analytics_num_page_views',
      propertyValue: String(n % 97),
      changeSource: 'ANALYTICS',
      sourceId: 'analytics',
    }),
  };
}

/** Rows per second appending `rows` inbox rows in transactions of `perTransaction` (the real insert path). */
async function appendRate(store: Store, run: string, rows: number, perTransaction: number): Promise<number> {
  const started = performance.now();
  for (let first = 0; first < rows; first += perTransaction) {
    const batch = Array.from({ length: Math.min(perTransaction, rows - first) }, (_, i) => event(run, first + i));
    await store.inbox.insertMany(PORTAL, batch, Date.now());
  }
  return rows / ((performance.now() - started) / 1000);
}

const sqliteTarget: Target = {
  name: 'SQLite (better-sqlite3, WAL, synchronous=FULL)',
  async open() {
    const folder = mkdtempSync(path.join(tmpdir(), 'lc-bench-b6-'));
    const store = await createStore(`sqlite:${path.join(folder, 'b6.db')}`);
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  },
};

function postgresTarget(url: string): Target {
  return {
    name: 'PostgreSQL (pg pool, synchronous_commit as configured on the server)',
    async open() {
      const options: StoreOptions = { pgSchema: `lc_bench_${randomBytes(4).toString('hex')}` };
      const store = await createStore(url, options);
      return {
        store,
        async dispose() {
          await store.close();
          const { db } = openDatabase(url, options);
          await db.schema.dropSchema(options.pgSchema!).ifExists().cascade().execute();
          await db.destroy();
        },
      };
    },
  };
}

async function reachable(url: string): Promise<boolean> {
  const { db } = openDatabase(url);
  try {
    await db.selectNoFrom((eb) => eb.val(1).as('alive')).execute();
    return true;
  } catch {
    return false;
  } finally {
    await db.destroy();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export const storageBenchmark: Benchmark = {
  id: 'B6',
  title: 'Storage append: inbox rows in 100-row transactions (the webhook path), durable commits',
  async run({ quick, log }) {
    const batchedRows = quick ? 5_000 : 50_000;
    const autocommitRows = quick ? 500 : 3_000;
    const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const targets = [sqliteTarget, ...((await reachable(pgUrl)) ? [postgresTarget(pgUrl)] : [])];
    if (targets.length === 1) log(`PostgreSQL not reachable at BENCH_DATABASE_URL/TEST_DATABASE_URL: measuring SQLite only`);
    const lines: string[] = [];
    let headline: { batched: number; autocommit: number } | null = null;
    for (const target of targets) {
      const batched: number[] = [];
      const autocommit: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        log(`${target.name}: run ${run + 1}/${RUNS}`);
        const { store, dispose } = await target.open();
        try {
          await appendRate(store, `warmup-${run}`, 1_000, ROWS_PER_TRANSACTION);
          batched.push(await appendRate(store, `batched-${run}`, batchedRows, ROWS_PER_TRANSACTION));
          autocommit.push(await appendRate(store, `single-${run}`, autocommitRows, 1));
        } finally {
          await dispose();
        }
      }
      const figures = { batched: median(batched), autocommit: median(autocommit) };
      headline ??= figures;
      lines.push(
        `- ${target.name}: **${fmt(figures.batched)} rows/s** in ${ROWS_PER_TRANSACTION}-row transactions (${fmt(batchedRows)} rows per run); ` +
          `baseline one row per transaction ${fmt(figures.autocommit)} rows/s (${fmt(autocommitRows)} rows) — ${(figures.batched / figures.autocommit).toFixed(1)}×. ` +
          `Runs (batched / single): ${batched.map((b, i) => `${fmt(b)} / ${fmt(autocommit[i]!)}`).join('; ')}.`,
      );
    }
    lines.unshift(
      `- What: \`store.inbox.insertMany\` (the webhook route's insert: one multi-row statement with dedup, durable commit) into a fresh database per run; ${RUNS} runs, median shown; warm-up not counted.`,
    );
    lines.push(
      `- performance.md §6 defines the ratio as ÷ B1 events/s; B1 is its own benchmark (see its section), so the ratio below is against the per-row-transaction baseline measured in this run. ` +
        `Divide the first figure by B1's events/s for the headroom of storage over ingest.`,
    );
    const { batched, autocommit } = headline!;
    return {
      id: 'B6',
      title: this.title,
      lines,
      ratio: { value: batched / autocommit, against: `one transaction per row on SQLite FULL, same run (${fmt(batched)} vs ${fmt(autocommit)} rows/s)` },
      target: { description: `≥ 10× the per-row baseline (measured ${(batched / autocommit).toFixed(1)}×)`, met: batched / autocommit >= 10 },
    };
  },
};
