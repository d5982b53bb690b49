import { aggregateWindow, funnelReportFromAggregates, type FunnelAggregates, type FunnelReport } from '../../core/ledger';
import type { CompiledModel } from '../../core/model';
import type { PartialFigures } from '../../contracts/report-api';
import { partialFiguresOf, withPartial } from './partial-figures';
import { reportAggregates } from './report-aggregates';
import { summariseScope, type ReportScope, type ReportScopeSummary } from './report-scope';
import type { ReportingDeps } from './reporting-deps';
import { flowStockRows, type FlowStockRow } from './render/flow-stock-rows';

export interface FunnelReportView extends ReportScopeSummary {
  report: FunnelReport;
  /** The flow/stock table with detours, laid out once here so the terminal, CSV and dashboard show the same rows. */
  table: FlowStockRow[];
  /** Present while the portal's aggregates are being rebuilt: the figures are partial (see PartialFiguresSchema). */
  partial?: PartialFigures;
}

/**
 * Flow, stock, CVR, velocity, SLA, detours and churn of one portal's funnel over a period of whole UTC days, from
 * the ledger's aggregates: the cost grows with stages × days, not with the ledger.
 */
export async function loadFunnelReport(deps: ReportingDeps, scope: ReportScope): Promise<FunnelReportView> {
  const model = deps.model(scope.portalId);
  const [aggregates, partial] = await Promise.all([reportAggregates(deps, scope, aggregateWindow(model, scope.period)), partialFiguresOf(deps, scope)]);
  return withPartial(funnelReportView(scope, model, aggregates), partial);
}

/** The report view of aggregates read over `aggregateWindow(model, scope.period)`. */
export function funnelReportView(scope: ReportScope, model: CompiledModel, aggregates: FunnelAggregates): FunnelReportView {
  const report = funnelReportFromAggregates(aggregates, model, scope.period);
  return { ...summariseScope(scope), report, table: flowStockRows(report) };
}
