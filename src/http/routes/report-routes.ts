import express, { Router, type Request, type Response } from 'express';
import { join } from 'node:path';
import { z } from 'zod';
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
 */
export function reportRoutes(deps: ReportRouteDeps): Router {
  const router = Router();
  const guard = adminAccess({ token: deps.dashboardToken });
  const reporting = { ledger: deps.store.ledger, aggregates: deps.store.aggregates, model: deps.model };

  router.use('/api/reports', guard, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/api/reports/portals', async (_req, res) => {
    res.json({ portals: await listReportablePortals(deps.store.ledger) });
  });
  router.get('/api/reports/funnel', async (req, res) => {
    const scope = await scopeFromQuery(req, res, deps);
    if (scope) res.json(await loadFunnelReport(reporting, scope));
  });
  router.get('/api/reports/stock-series', async (req, res) => {
    const scope = await scopeFromQuery(req, res, deps);
    if (scope) res.json(await loadStockSeries(reporting, scope));
  });

  const assets = dashboardAssetsDir();
  router.use('/dashboard', guard, (_req, res, next) => {
    res.set('Content-Security-Policy', PAGE_SECURITY_POLICY);
    next();
  });
  router.get('/dashboard', (_req, res) => res.sendFile(join(assets, 'index.html')));
  router.use('/dashboard', express.static(assets, { index: false, redirect: false, fallthrough: true }));
  return router;
}

/** The request's scope, or null after answering 400 (bad query) or 502 (HubSpot could not name the owner's records). */
async function scopeFromQuery(req: Request, res: Response, deps: ReportRouteDeps): Promise<ReportScope | null> {
  let request: ReportRequest;
  try {
    request = ReportRequestSchema.parse(req.query);
    scopeOf(request, deps.clock.now()); // the period's own checks, before any HubSpot call
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    res.status(400).json({ error: 'invalid_query', message: z.prettifyError(error) });
    return null;
  }
  if (request.ownerId === undefined) return scopeOf(request, deps.clock.now());
  if (!deps.ownedRecords) {
    res.status(400).json({ error: 'owner_filter_unavailable', message: "filtering by owner reads the owner's records from HubSpot, and this backend has no HubSpot access" });
    return null;
  }
  try {
    return scopeOf(request, deps.clock.now(), await deps.ownedRecords(request.portalId, request.objectType, request.ownerId));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    res.status(502).json({ error: 'owner_lookup_failed', message: `could not read the records of owner ${request.ownerId} from HubSpot: ${reason}` });
    return null;
  }
}
