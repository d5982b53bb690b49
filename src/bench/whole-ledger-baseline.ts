import { freemem } from 'node:os';
import type { CompiledModel } from '../core';
import { scratchDatabaseLike, type BenchDatabase } from './bench-databases';
import { ChildRpc, type WithoutId } from './child-rpc';
import { bulkSeedB7 } from './report-scale-seed';
import type { WholeLedgerAnswer, WholeLedgerRequest } from './whole-ledger-process';

/**
 * How the baseline falls back: each smaller seed has `factor` times fewer contacts than the size that failed
 * (2,000,000 → 400,000 → 80,000 …), down to `smallest` contacts; below that the baseline is reported as failed.
 */
export interface FallbackLadder {
  factor: number;
  smallest: number;
}

export const FALLBACK_LADDER: FallbackLadder = { factor: 5, smallest: 5_000 };

export interface BaselineLimits {
  /** `--max-old-space-size` of the baseline's process, MB. */
  heapMb: number;
  /** Past this, the baseline's process is killed and counts as not surviving. */
  limitMs: number;
}

/** From B7_BASELINE_HEAP_MB / B7_BASELINE_LIMIT_S, else 70 % of the free memory (at most 16 GiB) and 10 minutes. */
export function baselineLimits(env: NodeJS.ProcessEnv): BaselineLimits {
  const heapMb = Number(env['B7_BASELINE_HEAP_MB'] ?? Math.min(16_384, Math.floor((freemem() / 2 ** 20) * 0.7)));
  const limitMs = Number(env['B7_BASELINE_LIMIT_S'] ?? 600) * 1000;
  if (!(heapMb > 0) || !(limitMs > 0)) throw new Error('B7_BASELINE_HEAP_MB and B7_BASELINE_LIMIT_S must be positive numbers');
  return { heapMb, limitMs };
}

export interface BaselineOutcome extends WholeLedgerAnswer {
  /** Contacts of the ledger the baseline ran on; `null`: the measured database's own ledger, whole. */
  fallbackContacts: number | null;
}

/**
 * Today's whole-ledger computation (`report` or `audit`, see whole-ledger-process.ts) in a process of its own with
 * `limits.heapMb` of heap, first over the measured database's whole ledger. If that process runs out of memory, fails
 * or passes `limits.limitMs`, the baseline falls back to the largest size it survives: a scratch database on the same
 * dialect seeded in this run with `ladder.factor` times fewer contacts (the first contacts of the same seed), down to
 * `ladder.smallest`. `outcome` is null when no size survived; `failures` says, per attempt that did not survive, its
 * size and how it failed.
 */
export async function wholeLedgerBaseline(
  type: 'report' | 'audit',
  database: BenchDatabase,
  contacts: number,
  model: CompiledModel,
  limits: BaselineLimits,
  log: (line: string) => void,
  ladder: FallbackLadder = FALLBACK_LADDER,
): Promise<{ outcome: BaselineOutcome | null; failures: string[] }> {
  const failures: string[] = [];
  const first = await attempt(type, database.url, limits);
  if (first.ok) return { outcome: { ...first.answer, fallbackContacts: null }, failures };
  failures.push(`the whole ledger (${contacts.toLocaleString('en-US')} contacts): ${first.failure}`);
  log(`${database.label} ${type} baseline: ${failures.at(-1)}`);
  for (let size = Math.floor(contacts / ladder.factor); size >= ladder.smallest; size = Math.floor(size / ladder.factor)) {
    const scratch = scratchDatabaseLike(database, `b7_baseline_${type}`);
    try {
      log(`${database.label} ${type} baseline: seeding ${size.toLocaleString('en-US')} contacts for a smaller whole ledger`);
      await bulkSeedB7(scratch.url, {}, model, size, log);
      const next = await attempt(type, scratch.url, limits);
      if (next.ok) return { outcome: { ...next.answer, fallbackContacts: size }, failures };
      failures.push(`${size.toLocaleString('en-US')} contacts: ${next.failure}`);
      log(`${database.label} ${type} baseline: ${failures.at(-1)}`);
    } finally {
      await scratch.cleanup();
    }
  }
  return { outcome: null, failures };
}

async function attempt(type: 'report' | 'audit', url: string, limits: BaselineLimits): Promise<{ ok: true; answer: WholeLedgerAnswer } | { ok: false; failure: string }> {
  const child = ChildRpc.fork<WithoutId<WholeLedgerRequest>>('whole-ledger-process.js', 'whole-ledger baseline process', { execArgv: [`--max-old-space-size=${limits.heapMb}`] });
  let timer: NodeJS.Timeout | undefined;
  const overtime = new Promise<'overtime'>((resolve) => (timer = setTimeout(() => resolve('overtime'), limits.limitMs)));
  try {
    const answer = await Promise.race([child.request<WholeLedgerAnswer>({ type, url }), overtime]);
    if (answer === 'overtime') {
      await child.kill();
      return { ok: false, failure: `not done within ${limits.limitMs / 1000} s (killed)` };
    }
    await child.stop();
    return { ok: true, answer };
  } catch (error) {
    await child.kill();
    const message = error instanceof Error ? error.message : String(error);
    // V8 aborts (SIGABRT) when the heap limit is reached: "JavaScript heap out of memory" on the child's stderr.
    const why = message.endsWith('(SIGABRT)') ? 'out of memory' : message;
    return { ok: false, failure: `${why} with a ${limits.heapMb.toLocaleString('en-US')} MB heap` };
  } finally {
    clearTimeout(timer);
  }
}
