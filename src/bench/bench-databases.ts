import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../app/ports/store-ports';
import { DAY_MS, type CompiledModel } from '../core';
import { B7_END, B7_PORTAL, bulkSeedB7 } from './report-scale-seed';

/**
 * The databases B7 and B14 measure: a fresh SQLite file seeded in the run, or databases seeded by an earlier run and
 * kept (`B7_SQLITE_FILE`, `B7_POSTGRES_URL` with `?schema=`), which are only read unless `B7_SEED=1`.
 */
export interface BenchDatabase {
  label: 'SQLite' | 'PostgreSQL';
  url: string;
  /** Seeded by an earlier run and kept: not seeded again (unless B7_SEED=1), never written otherwise. */
  kept: boolean;
  cleanup: () => Promise<void>;
}

/** One line for a bench's output: what the environment variables mean. */
export const KEPT_DATABASES_NOTE =
  "Environment: `B7_CONTACTS` (contacts of a fresh seed; `--quick`: 5,000); `B7_SQLITE_FILE=/path/b7.db` and `B7_POSTGRES_URL=postgres://…/db?schema=b7` measure databases seeded by an earlier run and kept (PostgreSQL runs only when its URL is set); a kept database is only read, and seeded first only when `B7_SEED=1`; `B7_BASELINE_LIMIT_S` (default 600) and `B7_BASELINE_HEAP_MB` (default 70 % of the free memory, at most 16,384) bound the whole-ledger baseline's process; past them it falls back to the ledger as it stood earlier (a third of the history's days each time) and says so. B14 seeds `B14_CONTACTS` (else `B7_CONTACTS`, else 30,000) when no database is kept.";

export function benchDatabases(env: NodeJS.ProcessEnv, tempPrefix: string): BenchDatabase[] {
  const runs: BenchDatabase[] = [];
  const keptFile = env['B7_SQLITE_FILE'];
  if (keptFile) runs.push({ label: 'SQLite', url: `sqlite:${keptFile}`, kept: true, cleanup: async () => undefined });
  else {
    const folder = mkdtempSync(join(tmpdir(), tempPrefix));
    runs.push({ label: 'SQLite', url: `sqlite:${join(folder, 'bench.db')}`, kept: false, cleanup: async () => rmSync(folder, { recursive: true, force: true }) });
  }
  const pg = env['B7_POSTGRES_URL'];
  if (pg) runs.push({ label: 'PostgreSQL', url: pg, kept: true, cleanup: async () => undefined });
  return runs;
}

/** Seeds the database unless it is kept (and B7_SEED is not 1); says which in a phrase for the output. */
export async function seedUnlessKept(database: BenchDatabase, env: NodeJS.ProcessEnv, model: CompiledModel, contacts: number, log: (line: string) => void): Promise<string> {
  if (database.kept && env['B7_SEED'] !== '1') return 'seeded by an earlier run and kept; only read here';
  const seeded = await bulkSeedB7(database.url, {}, model, contacts, log);
  return `seeded in ${seeded.seconds.toFixed(0)} s by the bulk path`;
}

/** Rows and contacts the aggregates hold: moves of all time, and those from outside (records that entered). */
export async function heldBy(store: Pick<Store, 'aggregates'>): Promise<{ rows: number; contacts: number }> {
  const all = await store.aggregates.stockAggregates(B7_PORTAL, 'contact', B7_END / DAY_MS + 1, B7_END / DAY_MS + 1);
  return {
    rows: all.movesBefore.reduce((sum, m) => sum + m.count, 0),
    contacts: all.movesBefore.filter((m) => m.fromStage === '').reduce((sum, m) => sum + m.count, 0),
  };
}
