import { loadavg } from 'node:os';
import { createStore } from '../adapters/store';
import { loadFunnelReport, loadStockSeries, type ReportScope } from '../app/reporting';
import { DAY_MS, defaultModel } from '../core';
import { reportReadsFor } from '../main/reports/aggregate-read-workers';
import { heldBy } from './bench-databases';
import { answerRequests } from './child-rpc';
import { latencies, peakRssMb, type Latency } from './latency';
import { B7_END, B7_PORTAL } from './report-scale-seed';

/**
 * B7's serving path in a process of its own that never seeded and never loads the whole ledger: it opens the store,
 * makes the report and dashboard calls (each warmed up first, then `requests` counted, `concurrency` at a time,
 * in-process as the report API does) and answers with their latencies, its CPU per call and its peak RSS, which are
 * then the serving path's alone.
 */
export type ReportServingRequest = { id: number; type: 'measure'; url: string; requests: number; concurrency: number } | { id: number; type: 'stop' };

export interface ReportServingAnswer {
  held: { rows: number; contacts: number };
  day30: Latency;
  day365: Latency;
  dashboard: Latency;
  /** Peak RSS of this process after the calls, MB: store open, migrations checked, the calls; nothing else. */
  peakRssMb: number;
  load: [number, number];
}

async function measure(url: string, requests: number, concurrency: number): Promise<ReportServingAnswer> {
  const store = await createStore(url);
  // As the report API reads them: on a SQLite file, on reader threads.
  const reportReads = reportReadsFor(store, { url, pgSchema: null });
  try {
    const model = defaultModel();
    const deps = { ledger: store.ledger, aggregates: reportReads.aggregates, model: () => model };
    const scope = (days: number): ReportScope => ({ portalId: B7_PORTAL, objectType: 'contact', period: { start: B7_END - days * DAY_MS, end: B7_END } });
    const load0 = loadavg()[0] ?? 0;
    const day30 = await latencies(requests, concurrency, () => loadFunnelReport(deps, scope(30)));
    const day365 = await latencies(requests, concurrency, () => loadFunnelReport(deps, scope(365)));
    const dashboard = await latencies(requests, concurrency, () => Promise.all([loadFunnelReport(deps, scope(30)), loadStockSeries(deps, scope(30))]));
    // Counted after the calls, so the first 30-day report is the first read after opening the store.
    const held = await heldBy(store);
    return { held, day30, day365, dashboard, peakRssMb: peakRssMb(), load: [load0, loadavg()[0] ?? 0] };
  } finally {
    await reportReads.close();
    await store.close();
  }
}

answerRequests(async (request: ReportServingRequest) => {
  if (request.type === 'stop') {
    setImmediate(() => process.exit(0));
    return null;
  }
  return measure(request.url, request.requests, request.concurrency);
});
