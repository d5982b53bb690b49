import type { z } from 'zod';
import type { FunnelPageQuerySchema, FunnelPageView } from '../../contracts/page-api';
import { loadFunnelReport, loadStockSeries, ReportRequestSchema, scopeOf, type ReportingDeps } from '../reporting';
import type { PortalId } from '../ports/store-ports';

export type FunnelPageRequest = z.output<typeof FunnelPageQuerySchema>;

/**
 * The Funnel page: the flow/stock table (detours, CVR, velocity, SLA) and the daily stock series of one period,
 * from the same aggregate-backed use cases as `lifecycle report` and the dashboard (cost: stages × days).
 *
 * @throws ZodError when the period is reversed or longer than reports allow.
 */
export async function loadFunnelPage(deps: ReportingDeps, portalId: PortalId, request: FunnelPageRequest, now: number): Promise<FunnelPageView> {
  const scope = scopeOf(ReportRequestSchema.parse({ portalId: String(portalId), from: request.from, to: request.to, objectType: request.objectType }), now);
  const [funnel, stock] = await Promise.all([loadFunnelReport(deps, scope), loadStockSeries(deps, scope)]);
  return {
    objectType: scope.objectType,
    period: { from: new Date(scope.period.start).toISOString(), to: new Date(scope.period.end).toISOString() },
    rows: funnel.table.map((row) => ({ ...row })),
    stockSeries: {
      stages: stock.series.stages.map(({ stageId, label }) => ({ stageId, label })),
      points: stock.series.points.map((point) => ({ at: new Date(point.at).toISOString(), stock: point.stock })),
    },
  };
}
