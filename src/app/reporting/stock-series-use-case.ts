import { dayOf, stockAggregatesOf, stockSeriesFromAggregates, type StockAggregates, type StockSeries } from '../../core/ledger';
import type { CompiledModel } from '../../core/model';
import type { PartialFigures } from '../../contracts/report-api';
import { partialFiguresOf, withPartial } from './partial-figures';
import { reportAggregates } from './report-aggregates';
import { dailyBoundaries } from './report-period';
import { summariseScope, type ReportScope, type ReportScopeSummary } from './report-scope';
import type { ReportingDeps } from './reporting-deps';

export interface StockSeriesView extends ReportScopeSummary {
  series: StockSeries;
  /** Present while the portal's aggregates are being rebuilt: the figures are partial (see PartialFiguresSchema). */
  partial?: PartialFigures;
}

/**
 * Stock per stage at each daily boundary of the period (or every `everyDays` days from its start, and at its end),
 * for the stock-over-time chart. Each point is the balance at its midnight BEFORE the moves dated then, which is the
 * funnel report's convention: the first point is its beginning, the last its ending. Read from the ledger's
 * aggregates (stages × days).
 */
export async function loadStockSeries(deps: ReportingDeps, scope: ReportScope, { everyDays = 1 }: { everyDays?: number } = {}): Promise<StockSeriesView> {
  const firstDay = dayOf(scope.period.start);
  const endDay = dayOf(scope.period.end);
  // A whole portal's series needs only each stretch's net change per stage between its points: the store sums it
  // (stages × points rows).
  const [aggregates, partial] = await Promise.all([
    scope.records
      ? reportAggregates(deps, scope, { firstDay, startDay: firstDay, endDay }).then(stockAggregatesOf)
      : deps.aggregates.stockAggregates(scope.portalId, scope.objectType, firstDay, endDay, everyDays),
    partialFiguresOf(deps, scope),
  ]);
  return withPartial(stockSeriesView(scope, deps.model(scope.portalId), aggregates, everyDays), partial);
}

/** The series view of stock aggregates read over the period's days, with deltas per day or per `everyDays` days. */
export function stockSeriesView(scope: ReportScope, model: CompiledModel, aggregates: StockAggregates, everyDays: number): StockSeriesView {
  const days = dailyBoundaries(scope.period, everyDays).map(dayOf);
  return { ...summariseScope(scope), series: stockSeriesFromAggregates(aggregates, model, days) };
}
