import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AssociationRefresher } from '../../app/cards/association-refresher';
import { applyContactAction } from '../../app/cards/apply-contact-action';
import { getCompanyView } from '../../app/cards/get-company-view';
import { getContactView } from '../../app/cards/get-contact-view';
import { getDealImpact } from '../../app/cards/get-deal-impact';
import type { Clock } from '../../app/ports/clock';
import type { HubSpotPort } from '../../app/ports/hubspot-port';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { PortalId, Store } from '../../app/ports/store-ports';
import { CardActionOnce } from '../../app/cards/card-action-once';
import { CARD_API_ROUTES, CardClaimsQuerySchema, CONTACT_ACTIONS, ContactActionRequestSchemas, type ContactAction, type ContactActionRequest } from '../../contracts/card-api';
import type { CompiledModel } from '../../core';
import { HttpError } from '../errors';
import { jsonBody, param, query } from '../route-kit';
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

  const objectIdOf = (req: Request): string => param(req, 'objectId', ObjectIdSchema, 'invalid_object_id');
  const readDeps = (portalId: PortalId) => ({ store: deps.store, model: deps.model(portalId), refresher });

  router.get(CARD_API_ROUTES.contactView, ...signed, async (req, res) => {
    const objectId = objectIdOf(req);
    const portalId = verifiedPortal(res);
    res.json(await getContactView(readDeps(portalId), portalId, objectId, deps.clock.now()));
  });

  router.get(CARD_API_ROUTES.companyView, ...signed, async (req, res) => {
    const objectId = objectIdOf(req);
    const portalId = verifiedPortal(res);
    res.json(await getCompanyView(readDeps(portalId), portalId, objectId, deps.clock.now()));
  });

  router.get(CARD_API_ROUTES.dealView, ...signed, async (req, res) => {
    const objectId = objectIdOf(req);
    const portalId = verifiedPortal(res);
    res.json(await getDealImpact(readDeps(portalId), portalId, objectId, deps.clock.now()));
  });

  router.post(CARD_API_ROUTES.contactAction, ...signed, async (req, res) => {
    const objectId = objectIdOf(req);
    const action = req.params['action'] as ContactAction;
    if (!CONTACT_ACTIONS.includes(action)) {
      throw new HttpError('unknown_action', `no contact action "${String(req.params['action'])}"; use one of: ${CONTACT_ACTIONS.join(', ')}`);
    }
    const request: ContactActionRequest[ContactAction] = jsonBody(req, ContactActionRequestSchemas[action], 'invalid_request');
    const { actor, requestId } = res.locals['cardClaims'] as VerifiedClaims;
    if (requestId === undefined) throw new HttpError('missing_request_id');
    const portalId = verifiedPortal(res);
    const actionDeps = { store: deps.store, hubspot: deps.hubspot(portalId), model: deps.model(portalId), clock: deps.clock };
    // A transient HubSpot failure propagates: the error middleware answers 503 hubspot_unavailable (errors.ts).
    const outcome = await once.apply(
      portalId,
      { requestId, action, contactId: objectId, now: () => deps.clock.now() },
      () => applyContactAction(actionDeps, portalId, objectId, action, request, actor),
      () => getContactView(readDeps(portalId), portalId, objectId, deps.clock.now()),
    );
    if (outcome.outcome === 'not_found') throw new HttpError('not_found', `HubSpot has no contact ${objectId}`);
    if (outcome.outcome === 'busy') throw new HttpError('busy');
    if (outcome.outcome === 'request_id_reused') throw new HttpError('request_id_reused');
    res.json(outcome.result);
  });

  return router;
}

/**
 * The card's claims (CardClaims), read once the signature over the URL verified: who pressed the button, for the
 * ledger's audit trail, and the request id of an action. A malformed claim is a 400 naming it.
 */
function claimsOf(req: Request, res: Response, next: NextFunction): void {
  const { userEmail, userId, requestId } = query(req, CardClaimsQuerySchema, 'invalid_claims');
  const actor = userEmail ?? (userId === undefined ? null : `hubspot-user:${userId}`);
  const claims: VerifiedClaims = { actor, requestId };
  res.locals['cardClaims'] = claims;
  next();
}
