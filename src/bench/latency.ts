import { performance } from 'node:perf_hooks';

export interface Latency {
  /** The first of the warm-up calls, alone, ms: what the call costs with cold caches. Not in the percentiles. */
  firstMs: number;
  p50: number;
  p99: number;
  /** CPU time of the serving process, per call (user + system), ms: what a call costs when the cores are shared. */
  cpuMs: number;
}

/** The serving process's CPU time so far (user + system), ms; asked before and after the counted calls. */
export type CpuClock = () => Promise<number>;

/** This process's CPU time, for calls served in the process that makes them. */
export const thisProcessCpu: CpuClock = async () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Calls made one at a time before the counted ones: a server in production is warm, and the issues ask its p99. */
export const WARM_UP_CALLS = 5;

/** The sentence a bench's output says it with. */
export const WARM_UP_NOTE = `Before each call's requests are counted, ${WARM_UP_CALLS} calls of it, one at a time, then one round of as many at once as the run's concurrency, warm the serving process's caches and connections (a server in production is warm and its keep-alive connections are open) and are not counted; the first of them, with cold caches, is the "first call" column; their CPU time is not in "CPU ms per call".`;

async function timed(call: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await call();
  return performance.now() - t0;
}

/** The q-quantile of ascending `times`, the nearest-rank way: with 50 times, p99 is the slowest. */
export function quantile(times: readonly number[], q: number): number {
  return times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? NaN;
}

/**
 * p50/p99 of `requests` calls made `concurrency` at a time, after `WARM_UP_CALLS` calls one at a time and one round
 * of `concurrency` calls at once that are not counted (the first of them is reported as `firstMs`), and the serving
 * process's CPU time per counted call. The concurrent round opens the client's keep-alive connections and runs the
 * server's concurrent paths once: measured on B14's Funnel page at 2,000,000 contacts, the first concurrent round's
 * slowest call took 627 ms and the next rounds' 188 and 212 ms, with the same calls.
 */
export async function latencies(requests: number, concurrency: number, call: () => Promise<unknown>, cpuClock: CpuClock = thisProcessCpu): Promise<Latency> {
  const firstMs = await timed(call);
  for (let warm = 1; warm < WARM_UP_CALLS; warm++) await call();
  await Promise.all(Array.from({ length: concurrency }, () => call()));
  const times: number[] = [];
  let next = 0;
  const cpu0 = await cpuClock();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) times.push(await timed(call));
    }),
  );
  const cpuMs = (await cpuClock()) - cpu0;
  times.sort((a, b) => a - b);
  return { firstMs, p50: quantile(times, 0.5), p99: quantile(times, 0.99), cpuMs: cpuMs / requests };
}

/** This process's peak resident set so far, MB (Linux reports maxRSS in KiB). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
