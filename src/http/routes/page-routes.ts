import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { loadAuditPage, loadFunnelPage, loadSyncHealth, type BackfillJobs, type RateLimitTally } from '../../app/pages';
import type { Clock } from '../../app/ports/clock';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { PortalId, Store } from '../../app/ports/store-ports';
import { AuditPageQuerySchema, FunnelPageQuerySchema, PAGE_API_ROUTES, PageClaimsQuerySchema, type BackfillStartResult, type DeadLetterRetryResult } from '../../contracts/page-api';
import type { CompiledModel } from '../../core';
import { portalFromQuery, requireSignedPortal, verifiedPortal } from '../signed-portal';

export interface PageRouteDeps {
  store: Store;
  model: (portalId: PortalId) => CompiledModel;
  portals: PortalDirectory;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string | undefined;
  /** HubSpot 429s per portal, fed by the gateways' call reports (backend.ts). */
  rateLimits: RateLimitTally;
  backfills: BackfillJobs;
  /** Private app with one configured portal: a request naming no portal is that portal's (signed-portal.ts). */
  singlePortalFallback?: boolean;
}

/**
 * The app-pages API (src/contracts/page-api.ts), called by the Funnel, Sync health and Audit pages through
 * hubspot.fetch. Every route checks HubSpot's signature (the same verifier as the cards) and reads only the verified
 * portal's rows; every read is bounded by an index range or by stages × days, never by the ledger's length.
 */
export function pageRoutes(deps: PageRouteDeps): Router {
  const router = Router();
  const signed = [...requireSignedPortal(deps, portalFromQuery), claimsOf];
  const reporting = { ledger: deps.store.ledger, aggregates: deps.store.aggregates, model: deps.model };

  router.get(PAGE_API_ROUTES.funnel, ...signed, async (req, res) => {
    const query = parseOr400(FunnelPageQuerySchema, pageQuery(req), res);
    if (query === null) return;
    try {
      res.json(await loadFunnelPage(reporting, verifiedPortal(res), query, deps.clock.now()));
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      res.status(400).json({ error: 'invalid_query', message: z.prettifyError(error) });
    }
  });

  router.get(PAGE_API_ROUTES.syncHealth, ...signed, async (req, res) => {
    if (parseOr400(z.strictObject({}), pageQuery(req), res) === null) return;
    res.json(await loadSyncHealth({ store: deps.store, rateLimits: deps.rateLimits, backfills: deps.backfills }, verifiedPortal(res), deps.clock.now()));
  });

  router.post(PAGE_API_ROUTES.retryDeadLetter, ...signed, async (req, res) => {
    const id = parseOr400(z.coerce.number().int().positive(), req.params['id'], res);
    if (id === null) return;
    const portalId = verifiedPortal(res);
    const requeued = await deps.store.deadLetters.retry(portalId, id, deps.clock.now());
    deps.logger.info({ portalId, deadLetterId: id, requeued, actor: actorOf(res) }, 'dead letter retry from the Sync health page');
    const result: DeadLetterRetryResult = { id, outcome: requeued ? 'requeued' : 'not_retryable' };
    res.json(result);
  });

  router.post(PAGE_API_ROUTES.startBackfill, ...signed, async (_req, res) => {
    const portalId = verifiedPortal(res);
    const outcome = await deps.backfills.start(portalId);
    deps.logger.info({ portalId, outcome, actor: actorOf(res) }, 'backfill start from the Sync health page');
    const result: BackfillStartResult = { outcome, backfill: await deps.backfills.state(portalId) };
    res.status(outcome === 'unavailable' ? 503 : 200).json(result);
  });

  router.get(PAGE_API_ROUTES.audit, ...signed, async (req, res) => {
    const query = parseOr400(AuditPageQuerySchema, pageQuery(req), res);
    if (query === null) return;
    try {
      res.json(await loadAuditPage(deps.store.ledger, verifiedPortal(res), query));
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      res.status(400).json({ error: 'invalid_query', message: z.prettifyError(error) });
    }
  });

  return router;
}

/** The page's own parameters: the query without the claims and what HubSpot appends (appId). */
function pageQuery(req: Request): Record<string, unknown> {
  const { portalId: _portalId, userId: _userId, userEmail: _userEmail, appId: _appId, ...rest } = req.query;
  return rest;
}

function parseOr400<T extends z.ZodType>(schema: T, value: unknown, res: Response): z.output<T> | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: 'invalid_query', message: z.prettifyError(parsed.error) });
  return null;
}

function actorOf(res: Response): string | null {
  return (res.locals['pageActor'] as string | null | undefined) ?? null;
}

/** The page's claims, read once the signature over the URL verified: who pressed a button, for the logs. */
function claimsOf(req: Request, res: Response, next: NextFunction): void {
  const parsed = PageClaimsQuerySchema.safeParse(req.query);
  if (!parsed.success) {
    res.status(400).json({ error: 'invalid_claims', message: z.prettifyError(parsed.error) });
    return;
  }
  const { userEmail, userId } = parsed.data;
  res.locals['pageActor'] = userEmail ?? (userId === undefined ? null : `hubspot-user:${userId}`);
  next();
}
