import { freemem } from 'node:os';
import { DAY_MS } from '../core';
import type { BenchDatabase } from './bench-databases';
import { ChildRpc, type WithoutId } from './child-rpc';
import { B7_END, B7_YEARS } from './report-scale-seed';
import type { WholeLedgerAnswer, WholeLedgerRequest } from './whole-ledger-process';

/** The first day of the seeded history: the B7 seed spreads its contacts' entries over B7_YEARS years before B7_END. */
const HISTORY_START = B7_END - B7_YEARS * 365 * DAY_MS;

/**
 * How the baseline falls back when the whole ledger does not survive: to the ledger as it stood earlier, keeping
 * `1/factor` of the seeded history's days each time (three years → one year → four months …), down to `smallestDays`;
 * below that the baseline is reported as failed. The seed's contacts enter evenly over the years, so the rows fall
 * about as fast as the days.
 */
export interface FallbackLadder {
  factor: number;
  smallestDays: number;
}

export const FALLBACK_LADDER: FallbackLadder = { factor: 3, smallestDays: 30 };

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
  /** Days of seeded history the ledger it ran on holds; `null`: the whole ledger. */
  historyDays: number | null;
  /** The instant the ledger was read up to (B7_END for the whole ledger); the report's period is the 365 days before. */
  until: number;
}

type Attempt = { ok: true; answer: WholeLedgerAnswer } | { ok: false; failure: string };

/** One attempt of the baseline: the request, its limits; answers the figures or why it did not survive. */
export type BaselineRunner = (type: 'report' | 'audit', url: string, until: number, limits: BaselineLimits) => Promise<Attempt>;

/**
 * Today's whole-ledger computation (`report` or `audit`, see whole-ledger-process.ts) in a process of its own with
 * `limits.heapMb` of heap, first over the database's whole ledger. If that process runs out of memory, fails or passes
 * `limits.limitMs`, the baseline falls back to the largest size it survives: the same database's ledger as it stood
 * earlier (`ladder`), read by the same code with its `until` bound; the seed check then compares the aggregates'
 * report for the 365 days before that instant with the sweep, on the measured database itself. `outcome` is null when
 * no size survived; `failures` says, per attempt that did not survive, its size and how it failed.
 */
export async function wholeLedgerBaseline(
  type: 'report' | 'audit',
  database: BenchDatabase,
  limits: BaselineLimits,
  log: (line: string) => void,
  options: { ladder?: FallbackLadder; run?: BaselineRunner } = {},
): Promise<{ outcome: BaselineOutcome | null; failures: string[] }> {
  const { ladder = FALLBACK_LADDER, run = baselineInOwnProcess } = options;
  const failures: string[] = [];
  const whole = await run(type, database.url, B7_END, limits);
  if (whole.ok) return { outcome: { ...whole.answer, historyDays: null, until: B7_END }, failures };
  failures.push(`the whole ledger: ${whole.failure}`);
  log(`${database.label} ${type} baseline: ${failures.at(-1)}`);
  for (let days = Math.floor((B7_YEARS * 365) / ladder.factor); days >= ladder.smallestDays; days = Math.floor(days / ladder.factor)) {
    const until = HISTORY_START + days * DAY_MS;
    const next = await run(type, database.url, until, limits);
    if (next.ok) return { outcome: { ...next.answer, historyDays: days, until }, failures };
    failures.push(`the ledger of the first ${days} days: ${next.failure}`);
    log(`${database.label} ${type} baseline: ${failures.at(-1)}`);
  }
  return { outcome: null, failures };
}

/** The baseline's own process (whole-ledger-process.ts), killed past the time limit. */
export async function baselineInOwnProcess(type: 'report' | 'audit', url: string, until: number, limits: BaselineLimits): Promise<Attempt> {
  const child = ChildRpc.fork<WithoutId<WholeLedgerRequest>>('whole-ledger-process.js', 'whole-ledger baseline process', { execArgv: [`--max-old-space-size=${limits.heapMb}`] });
  let timer: NodeJS.Timeout | undefined;
  const overtime = new Promise<'overtime'>((resolve) => (timer = setTimeout(() => resolve('overtime'), limits.limitMs)));
  try {
    const answer = await Promise.race([child.request<WholeLedgerAnswer>({ type, url, until }), overtime]);
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

/** Says where a baseline ran, for the output. */
export function baselineSize(outcome: BaselineOutcome): string {
  if (outcome.historyDays === null) return `the whole ledger, ${outcome.rows.toLocaleString('en-US')} rows`;
  const asOf = new Date(outcome.until).toISOString().slice(0, 10);
  return `the ledger as it stood on ${asOf} (the first ${outcome.historyDays} of ${B7_YEARS * 365} days of history), ${outcome.rows.toLocaleString('en-US')} rows: the largest size it survived`;
}
