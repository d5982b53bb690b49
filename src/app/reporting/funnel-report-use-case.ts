import { funnelReport, type FunnelReport } from '../../core/ledger';
import { loadReportRows } from './load-report-rows';
import { summariseScope, type ReportScope, type ReportScopeSummary } from './report-scope';
import type { ReportingDeps } from './reporting-deps';
import { flowStockRows, type FlowStockRow } from './render/flow-stock-rows';

export interface FunnelReportView extends ReportScopeSummary {
  report: FunnelReport;
  /** The flow/stock table with detours, laid out once here so the terminal, CSV and dashboard show the same rows. */
  table: FlowStockRow[];
}

/** Flow, stock, CVR, velocity, SLA, detours and churn of one portal's funnel over a period. */
export async function loadFunnelReport(deps: ReportingDeps, scope: ReportScope): Promise<FunnelReportView> {
  const rows = await loadReportRows(deps.ledger, { ...scope, until: scope.period.end });
  const report = funnelReport(rows, deps.model(scope.portalId), scope.period);
  return { ...summariseScope(scope), report, table: flowStockRows(report) };
}
