import express, { Router, type Request } from 'express';
import { join } from 'node:path';
import {
  listReportablePortals,
  loadFunnelReport,
  loadStockSeries,
  ReportRequestSchema,
  type ReportRequest,
  scopeOf,
  type RecordFilter,
  type ReportingLedger,
  type ReportObjectType,
  type ReportScope,
} from '../../app/reporting';
import type { Clock } from '../../app/ports/clock';
import type { LedgerAggregatePort, PortalId } from '../../app/ports/store-ports';
import type { CompiledModel } from '../../core/model';
import { DASHBOARD_PATH, REPORT_API_ROUTES } from '../../contracts/backend-routes';
import { asHttpError, HttpError } from '../errors';
import { checked, query } from '../route-kit';
import { adminAccess } from '../dashboard/admin-access';
import { dashboardAssetsDir } from '../dashboard/dashboard-assets';

export interface ReportRouteDeps {
  store: { ledger: ReportingLedger; aggregates: LedgerAggregatePort };
  model: (portalId: PortalId) => CompiledModel;
  clock: Pick<Clock, 'now'>;
  /** Resolves `ownerId` to the records that owner holds now (HubSpot search); without it the owner filter is refused. */
  ownedRecords?: (portalId: PortalId, objectType: ReportObjectType, ownerId: string) => Promise<RecordFilter>;
  /** DASHBOARD_TOKEN; when unset the routes answer loopback clients only. */
  dashboardToken?: string | undefined;
}

/** The page runs only its own files: no inline script, nothing from elsewhere. */
const PAGE_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The reporting JSON API (/api/reports/…) and the funnel dashboard page (/dashboard), both admin-only.
 *
 * GET /api/reports/funnel?portalId=&from=&to=&objectType=&ownerId=         flow/stock table, CVR, velocity, SLA, detours, churn
 * GET /api/reports/stock-series?portalId=&from=&to=&objectType=&ownerId=   daily stock per stage over the period
 * GET /api/reports/portals                                        portals with ledger rows
 *
 * While the portal's aggregates are being rebuilt, a whole portal's funnel and stock series carry `partial`
 * (PartialFiguresSchema, src/contracts/report-api.ts): the figures are partial; the dashboard shows its message.
 */
export function reportRoutes(deps: ReportRouteDeps): Router {
  const router = Router();
  const guard = adminAccess({ token: deps.dashboardToken });
  const reporting = { ledger: deps.store.ledger, aggregates: deps.store.aggregates, model: deps.model };

  router.use('/api/reports', guard, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get(REPORT_API_ROUTES.portals, async (_req, res) => {
    res.json({ portals: await listReportablePortals(deps.store.ledger) });
  });
  router.get(REPORT_API_ROUTES.funnel, async (req, res) => {
    res.json(await loadFunnelReport(reporting, await scopeFromQuery(req, deps)));
  });
  router.get(REPORT_API_ROUTES.stockSeries, async (req, res) => {
    res.json(await loadStockSeries(reporting, await scopeFromQuery(req, deps)));
  });

  const assets = dashboardAssetsDir();
  router.use(DASHBOARD_PATH, guard, (_req, res, next) => {
    res.set('Content-Security-Policy', PAGE_SECURITY_POLICY);
    next();
  });
  router.get(DASHBOARD_PATH, (_req, res) => res.sendFile(join(assets, 'index.html')));
  router.use(DASHBOARD_PATH, express.static(assets, { index: false, redirect: false, fallthrough: true }));
  return router;
}

/** The request's scope; HttpError 400 (bad query), 503 (HubSpot unavailable) or 502 (HubSpot could not name the owner's records). */
async function scopeFromQuery(req: Request, deps: ReportRouteDeps): Promise<ReportScope> {
  const request: ReportRequest = query(req, ReportRequestSchema, 'invalid_query');
  const scope = checked('invalid_query', () => scopeOf(request, deps.clock.now())); // the period's own checks, before any HubSpot call
  if (request.ownerId === undefined) return scope;
  if (!deps.ownedRecords) throw new HttpError('owner_filter_unavailable');
  try {
    return scopeOf(request, deps.clock.now(), await deps.ownedRecords(request.portalId, request.objectType, request.ownerId));
  } catch (error) {
    const known = asHttpError(error);
    if (known) throw known;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError('owner_lookup_failed', `could not read the records of owner ${request.ownerId} from HubSpot: ${reason}`);
  }
}
