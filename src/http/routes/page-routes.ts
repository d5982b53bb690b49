import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { loadAuditPage, loadFunnelPage, loadSyncHealth, type BackfillJobs, type RateLimitTally } from '../../app/pages';
import type { Clock } from '../../app/ports/clock';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { LedgerAggregatePort, PortalId, Store } from '../../app/ports/store-ports';
import { AuditPageQuerySchema, FunnelPageQuerySchema, PAGE_API_ROUTES, PageClaimsQuerySchema, type BackfillStartResult, type DeadLetterRetryResult } from '../../contracts/page-api';
import type { CompiledModel } from '../../core';
import { HttpError } from '../errors';
import { param, parsed } from '../route-kit';
import { portalFromQuery, requireSignedPortal, verifiedPortal } from '../signed-portal';

export interface PageRouteDeps {
  store: Store;
  /** Where the Funnel page reads the ledger's aggregates (the backend's report readers); default `store.aggregates`. */
  aggregates?: LedgerAggregatePort;
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
  const reporting = { ledger: deps.store.ledger, aggregates: deps.aggregates ?? deps.store.aggregates, model: deps.model };

  router.get(PAGE_API_ROUTES.funnel, ...signed, async (req, res) => {
    const query = parsed(FunnelPageQuerySchema, pageQuery(req), 'invalid_query');
    const portalId = verifiedPortal(res);
    // The period's own rules (reversed, too long) are zod errors of the use case: the same 400.
    res.json(await rejectZodAs400(loadFunnelPage(reporting, portalId, query, deps.clock.now())));
  });

  router.get(PAGE_API_ROUTES.syncHealth, ...signed, async (req, res) => {
    parsed(z.strictObject({}), pageQuery(req), 'invalid_query');
    res.json(await loadSyncHealth({ store: deps.store, rateLimits: deps.rateLimits, backfills: deps.backfills }, verifiedPortal(res), deps.clock.now()));
  });

  router.post(PAGE_API_ROUTES.retryDeadLetter, ...signed, async (req, res) => {
    const id = param(req, 'id', z.coerce.number().int().positive());
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
    const query = parsed(AuditPageQuerySchema, pageQuery(req), 'invalid_query');
    const portalId = verifiedPortal(res);
    res.json(await rejectZodAs400(loadAuditPage(deps.store.ledger, portalId, query)));
  });

  return router;
}

/** The page's own parameters: the query without the claims and what HubSpot appends (appId). */
function pageQuery(req: Request): Record<string, unknown> {
  const { portalId: _portalId, userId: _userId, userEmail: _userEmail, appId: _appId, ...rest } = req.query;
  return rest;
}

/** A use case's own zod refusal (a period's rules, a cursor it did not hand out) is the caller's 400, named. */
async function rejectZodAs400<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof z.ZodError) throw new HttpError('invalid_query', z.prettifyError(error));
    throw error;
  }
}

function actorOf(res: Response): string | null {
  return (res.locals['pageActor'] as string | null | undefined) ?? null;
}

/** The page's claims, read once the signature over the URL verified: who pressed a button, for the logs. */
function claimsOf(req: Request, res: Response, next: NextFunction): void {
  const { userEmail, userId } = parsed(PageClaimsQuerySchema, req.query, 'invalid_claims');
  res.locals['pageActor'] = userEmail ?? (userId === undefined ? null : `hubspot-user:${userId}`);
  next();
}
