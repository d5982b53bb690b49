import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AssociationRefresher } from '../../app/cards/association-refresher';
import { applyContactAction } from '../../app/cards/apply-contact-action';
import { getCompanyView } from '../../app/cards/get-company-view';
import { getContactView } from '../../app/cards/get-contact-view';
import { getDealImpact } from '../../app/cards/get-deal-impact';
import type { Clock } from '../../app/ports/clock';
import { HubSpotError, type HubSpotPort } from '../../app/ports/hubspot-port';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { PortalId, Store } from '../../app/ports/store-ports';
import { CardActionOnce } from '../../app/cards/card-action-once';
import { CARD_API_ROUTES, CardClaimsQuerySchema, CONTACT_ACTIONS, ContactActionRequestSchemas, type ContactAction } from '../../contracts/card-api';
import type { CompiledModel } from '../../core';
import { logFailure } from '../failure-reference';
import { rawBodyOf } from '../signed-request';
import { portalFromQuery, requireSignedPortal, verifiedPortal } from '../signed-portal';

export interface CardRouteDeps {
  store: Store;
  model: (portalId: PortalId) => CompiledModel;
  hubspot: (portalId: PortalId) => HubSpotPort;
  portals: PortalDirectory;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string | undefined;
  /** Keeps company and deal associations fresh off the hot path; one per backend. */
  refresher?: AssociationRefresher;
  /** Private app with one configured portal: a request naming no portal is that portal's (signed-portal.ts). */
  singlePortalFallback?: boolean;
}

type VerifiedClaims = { actor: string | null; requestId: string | undefined };

const ObjectIdSchema = z.string().regex(/^\d+$/, 'objectId must be a numeric HubSpot record id');

/**
 * The card API (src/contracts/card-api.ts), called by the record cards through hubspot.fetch. Every route checks
 * HubSpot's signature and reads only the verified portal's rows. The GETs answer from the store alone; the actions
 * decide on fresh HubSpot facts through the engine and answer 200 with "applied" or "refused".
 */
export function cardRoutes(deps: CardRouteDeps): Router {
  const router = Router();
  const signed = [...requireSignedPortal(deps, portalFromQuery), claimsOf];
  const once = new CardActionOnce(deps.store.workflowExecutions);
  const refresher = deps.refresher ?? new AssociationRefresher({ associations: deps.store.associations, hubspot: deps.hubspot, clock: deps.clock, logger: deps.logger });

  const objectIdOf = (req: Request, res: Response): string | null => {
    const parsed = ObjectIdSchema.safeParse(req.params['objectId']);
    if (parsed.success) return parsed.data;
    res.status(400).json({ error: 'invalid_object_id', message: z.prettifyError(parsed.error) });
    return null;
  };
  const readDeps = (portalId: PortalId) => ({ store: deps.store, model: deps.model(portalId), refresher });

  router.get(CARD_API_ROUTES.contactView, ...signed, async (req, res) => {
    const objectId = objectIdOf(req, res);
    if (objectId === null) return;
    const portalId = verifiedPortal(res);
    res.json(await getContactView(readDeps(portalId), portalId, objectId, deps.clock.now()));
  });

  router.get(CARD_API_ROUTES.companyView, ...signed, async (req, res) => {
    const objectId = objectIdOf(req, res);
    if (objectId === null) return;
    const portalId = verifiedPortal(res);
    res.json(await getCompanyView(readDeps(portalId), portalId, objectId, deps.clock.now()));
  });

  router.get(CARD_API_ROUTES.dealView, ...signed, async (req, res) => {
    const objectId = objectIdOf(req, res);
    if (objectId === null) return;
    const portalId = verifiedPortal(res);
    res.json(await getDealImpact(readDeps(portalId), portalId, objectId, deps.clock.now()));
  });

  router.post(CARD_API_ROUTES.contactAction, ...signed, async (req, res) => {
    const objectId = objectIdOf(req, res);
    if (objectId === null) return;
    const action = req.params['action'] as ContactAction;
    if (!CONTACT_ACTIONS.includes(action)) {
      res.status(404).json({ error: 'unknown_action', message: `no contact action "${String(req.params['action'])}"; use one of: ${CONTACT_ACTIONS.join(', ')}` });
      return;
    }
    const body = parseJsonBody(rawBodyOf(req));
    const request = ContactActionRequestSchemas[action].safeParse(body);
    if (!request.success) {
      res.status(400).json({ error: 'invalid_request', message: z.prettifyError(request.error) });
      return;
    }
    const { actor, requestId } = res.locals['cardClaims'] as VerifiedClaims;
    if (requestId === undefined) {
      res.status(400).json({ error: 'missing_request_id', message: 'a card action carries a requestId query parameter (one per button press)' });
      return;
    }
    const portalId = verifiedPortal(res);
    const actionDeps = { store: deps.store, hubspot: deps.hubspot(portalId), model: deps.model(portalId), clock: deps.clock };
    try {
      const outcome = await once.apply(
        portalId,
        { requestId, action, contactId: objectId, now: () => deps.clock.now() },
        () => applyContactAction(actionDeps, portalId, objectId, action, request.data, actor),
        () => getContactView(readDeps(portalId), portalId, objectId, deps.clock.now()),
      );
      if (outcome.outcome === 'not_found') res.status(404).json({ error: 'not_found', message: `HubSpot has no contact ${objectId}` });
      else if (outcome.outcome === 'busy') res.status(409).json({ error: 'busy', message: 'the record is being updated; try again' });
      else if (outcome.outcome === 'request_id_reused') res.status(409).json({ error: 'request_id_reused', message: 'this requestId was already used for another action' });
      else res.json(outcome.result);
    } catch (error) {
      if (!(error instanceof HubSpotError) || !error.transient) throw error;
      const correlationId = logFailure(deps.logger, 'warn', error, { portalId, objectId }, 'card action: HubSpot unavailable');
      res.status(503).json({ error: 'hubspot_unavailable', message: 'HubSpot did not answer in time; try again', correlationId });
    }
  });

  return router;
}

/** The card sends JSON (hubspot.fetch serialises `body`); anything else fails the schema with a readable message. */
function parseJsonBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The card's claims (CardClaims), read once the signature over the URL verified: who pressed the button, for the
 * ledger's audit trail, and the request id of an action. A malformed claim is a 400 naming it.
 */
function claimsOf(req: Request, res: Response, next: NextFunction): void {
  const parsed = CardClaimsQuerySchema.safeParse(req.query);
  if (!parsed.success) {
    res.status(400).json({ error: 'invalid_claims', message: z.prettifyError(parsed.error) });
    return;
  }
  const { userEmail, userId, requestId } = parsed.data;
  const actor = userEmail ?? (userId === undefined ? null : `hubspot-user:${userId}`);
  const claims: VerifiedClaims = { actor, requestId };
  res.locals['cardClaims'] = claims;
  next();
}
