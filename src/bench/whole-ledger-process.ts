import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createStore } from '../adapters/store';
import { loadFunnelReport } from '../app/reporting';
import { DAY_MS, defaultModel, funnelReport, type FunnelReport } from '../core';
import { answerRequests } from './child-rpc';
import { peakRssMb } from './latency';
import { B7_PORTAL } from './report-scale-seed';

/**
 * The whole-ledger baselines of B7 and B14 in a process of their own, started with a heap large enough for the
 * ledger (`--max-old-space-size`), so that loading millions of rows inflates no serving process and an out-of-memory
 * crash ends only this one. One request, then the process exits:
 * - `report`: today's whole-ledger computation of the report for the 365 days before `until` (read every contact row
 *   up to `until`, sweep), timed; then the seed check: the same report from the aggregates must equal the sweep in
 *   every count (velocity aside). With `until` = B7_END that is the whole ledger; an earlier `until` is the ledger as
 *   it stood then (a smaller size, see whole-ledger-baseline.ts), whose report the aggregates answer just the same.
 * - `audit`: an Audit page ("dead_end", newest 50 up to `until`) from the ledger: every row read, filtered, sorted.
 */
export type WholeLedgerRequest = { id: number; type: 'report' | 'audit'; url: string; until: number } | { id: number; type: 'stop' };

export interface WholeLedgerAnswer {
  rows: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  /** `report` only: the aggregates' 365-day report equals the sweep in every count. */
  aggregatesEqualSweep: boolean | null;
  load: [number, number];
}

const withoutVelocity = (r: FunnelReport) => ({ ...r, stages: r.stages.map(({ velocity, ...rest }) => ({ ...rest, stays: velocity.stays })) });

async function measure(type: 'report' | 'audit', url: string, until: number): Promise<WholeLedgerAnswer> {
  const store = await createStore(url);
  try {
    const model = defaultModel();
    const period = { start: until - 365 * DAY_MS, end: until };
    const load0 = loadavg()[0] ?? 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let rows: number;
    let swept: FunnelReport | null = null;
    if (type === 'report') {
      const ledger = await store.ledger.entries(B7_PORTAL, { objectType: 'contact', until });
      rows = ledger.length;
      swept = funnelReport(ledger, model, period);
    } else {
      const everything = await store.ledger.entries(B7_PORTAL, { until });
      rows = everything.length;
      everything
        .filter((entry) => entry.kind === 'dead_end')
        .sort((a, b) => b.occurredAt - a.occurredAt)
        .slice(0, 50);
    }
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const load1 = loadavg()[0] ?? 0;
    let aggregatesEqualSweep: boolean | null = null;
    if (swept) {
      const fromAggregates = (await loadFunnelReport({ ledger: store.ledger, aggregates: store.aggregates, model: () => model }, { portalId: B7_PORTAL, objectType: 'contact', period }))
        .report;
      aggregatesEqualSweep = JSON.stringify(withoutVelocity(fromAggregates)) === JSON.stringify(withoutVelocity(swept));
    }
    return { rows, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peakRssMb(), aggregatesEqualSweep, load: [load0, load1] };
  } finally {
    await store.close();
  }
}

answerRequests(async (request: WholeLedgerRequest) => {
  if (request.type === 'stop') {
    setImmediate(() => process.exit(0));
    return null;
  }
  return measure(request.type, request.url, request.until);
});
