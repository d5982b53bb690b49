import type { FunnelReportView } from '../funnel-report-use-case';

/** The full report, instants as epoch milliseconds like the ledger and the API. */
export function renderJsonReport(view: FunnelReportView): string {
  return JSON.stringify(view, null, 2);
}
