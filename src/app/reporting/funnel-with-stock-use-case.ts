import { aggregateWindow } from '../../core/ledger';
import { funnelReportView, loadFunnelReport, type FunnelReportView } from './funnel-report-use-case';
import type { PartialFigures } from '../../contracts/report-api';
import { partialFiguresOf } from './partial-figures';
import type { ReportScope } from './report-scope';
import type { ReportingDeps } from './reporting-deps';
import { loadStockSeries, stockSeriesView, type StockSeriesView } from './stock-series-use-case';

/**
 * The funnel report and the stock series of one period, as the Funnel page shows them together. A whole portal's:
 * one read of the store (the move totals before the period's end, which both start from, read once; on PostgreSQL
 * one statement, so one snapshot). Chosen records': the two use cases. `partial`: while the portal's aggregates are
 * being rebuilt (see partialFiguresOf), else null.
 */
export async function loadFunnelWithStock(
  deps: ReportingDeps,
  scope: ReportScope,
  { everyDays = 1 }: { everyDays?: number } = {},
): Promise<{ funnel: FunnelReportView; stock: StockSeriesView; partial: PartialFigures | null }> {
  if (scope.records) {
    const [funnel, stock] = await Promise.all([loadFunnelReport(deps, scope), loadStockSeries(deps, scope, { everyDays })]);
    return { funnel, stock, partial: null };
  }
  const model = deps.model(scope.portalId);
  const [read, partial] = await Promise.all([
    deps.aggregates.funnelAndStockAggregates(scope.portalId, scope.objectType, aggregateWindow(model, scope.period), everyDays),
    partialFiguresOf(deps, scope),
  ]);
  return { funnel: funnelReportView(scope, model, read.funnel), stock: stockSeriesView(scope, model, read.stock, everyDays), partial };
}
