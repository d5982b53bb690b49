import type { z } from 'zod';
import type { FunnelPageQuerySchema, FunnelPageView } from '../../contracts/page-api';
import { loadFunnelWithStock, ReportRequestSchema, scopeOf, type ReportingDeps } from '../reporting';
import { DAY_MS } from '../../core';
import type { PortalId } from '../ports/store-ports';

export type FunnelPageRequest = z.output<typeof FunnelPageQuerySchema>;

/** Periods longer than this chart their stock weekly: a year of daily points per stage is unreadable in a line chart. */
const DAILY_CHART_MAX_DAYS = 92;

/**
 * The Funnel page: the flow/stock table (detours, CVR, velocity, SLA) and the stock series of one period — daily up
 * to DAILY_CHART_MAX_DAYS days, then weekly from the period's start (and at its end) — from the same aggregate-backed
 * use cases as `lifecycle report` and the dashboard (cost: stages × days). A weekly chart also keeps the page's answer
 * small: a year of daily points per stage was about 150 KB of JSON on every load.
 *
 * @throws ZodError when the period is reversed or longer than reports allow.
 */
export async function loadFunnelPage(deps: ReportingDeps, portalId: PortalId, request: FunnelPageRequest, now: number): Promise<FunnelPageView> {
  const scope = scopeOf(ReportRequestSchema.parse({ portalId: String(portalId), from: request.from, to: request.to, objectType: request.objectType }), now);
  const everyDays = (scope.period.end - scope.period.start) / DAY_MS > DAILY_CHART_MAX_DAYS ? 7 : 1;
  const { funnel, stock, partial } = await loadFunnelWithStock(deps, scope, { everyDays });
  return {
    objectType: scope.objectType,
    period: { from: new Date(scope.period.start).toISOString(), to: new Date(scope.period.end).toISOString() },
    rows: funnel.table.map((row) => ({ ...row })),
    stockSeries: {
      stages: stock.series.stages.map(({ stageId, label }) => ({ stageId, label })),
      points: stock.series.points.map((point) => ({ at: new Date(point.at).toISOString(), stock: point.stock })),
    },
    ...(partial ? { partial: { recordsDone: partial.recordsDone, recordsTotal: partial.recordsTotal, message: partial.message } } : {}),
  };
}
