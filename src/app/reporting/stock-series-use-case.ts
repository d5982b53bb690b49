import { stockSeries, type StockSeries } from '../../core/ledger';
import { loadReportRows } from './load-report-rows';
import { dailyBoundaries } from './report-period';
import { summariseScope, type ReportScope, type ReportScopeSummary } from './report-scope';
import type { ReportingDeps } from './reporting-deps';

export interface StockSeriesView extends ReportScopeSummary {
  series: StockSeries;
}

/**
 * Stock per stage at each daily boundary of the period, for the stock-over-time chart. Each point is the balance
 * at its instant BEFORE the moves dated exactly then (the instant minus 1 ms, ledger times being whole
 * milliseconds), which is the funnel report's convention: the first point is its beginning, the last its ending.
 */
export async function loadStockSeries(deps: ReportingDeps, scope: ReportScope): Promise<StockSeriesView> {
  const rows = await loadReportRows(deps.ledger, { ...scope, until: scope.period.end });
  const justBefore = dailyBoundaries(scope.period).map((boundary) => boundary - 1);
  const series = stockSeries(rows, deps.model(scope.portalId), justBefore);
  const points = series.points.map((point) => ({ ...point, at: point.at + 1 }));
  return { ...summariseScope(scope), series: { stages: series.stages, points } };
}
