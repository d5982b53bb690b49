import { performance } from 'node:perf_hooks';

export interface Latency {
  p50: number;
  p99: number;
  /** CPU time of the process that ran the calls, per call (user + system), ms: what a call costs when the cores are shared. */
  cpuMs: number;
}

/** p50/p99 of `requests` calls made `concurrency` at a time, and this process's CPU time per call. */
export async function latencies(requests: number, concurrency: number, call: () => Promise<unknown>): Promise<Latency> {
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

/** This process's peak resident set so far, MB (Linux reports maxRSS in KiB). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
