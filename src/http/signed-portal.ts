import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../app/ports/clock';
import type { PortalDirectory } from '../app/ports/portal-directory';
import type { PortalId } from '../app/ports/store-ports';
import { rawBodyOf, verifyRequest } from './signed-request';
import { HttpError, sendHttpError } from './errors';

export interface SignedPortalDeps {
  portals: PortalDirectory;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  publicBaseUrl: string | undefined;
  /**
   * A request that names no portal speaks for the one portal served — only a private app's backend (static auth,
   * one configured account) may assume that. OAuth deployments leave it off: installs come and go, so a request
   * always names its portal (the cards add it to the query, CardClaims). Default false.
   */
  singlePortalFallback?: boolean;
}

/** Where a request says which portal it comes from: the query of a hubspot.fetch call, the body of an action. */
export type PortalClaim = (req: Request) => unknown;

/** The portal of a request whose signature was checked; route handlers read it from here, nowhere else. */
export function verifiedPortal(res: Response): PortalId {
  const portalId: unknown = res.locals['verifiedPortalId'];
  if (typeof portalId !== 'number') throw new Error('verifiedPortal() used on a route without requireSignedPortal()');
  return portalId;
}

/**
 * Raw body + HubSpot signature check + the portal the request speaks for. The portal claim (a query parameter or a
 * body field) is part of what HubSpot signed, so it is trusted only once the signature over the exact URL and bytes
 * verifies — and it is verified with the claimed portal's own client secrets, so a request signed for one install
 * cannot be replayed as another's. Anything wrong is a 401 that says nothing about our data.
 */
export function requireSignedPortal(deps: SignedPortalDeps, claim: PortalClaim, accepts: { legacy: 'none' | 'v2' } = { legacy: 'none' }): RequestHandler[] {
  const verify = (req: Request, res: Response, next: NextFunction) => {
    const portalId = claimedPortal(claim(req), deps.portals, deps.singlePortalFallback === true);
    const credentials = portalId === null ? undefined : deps.portals.credentials(portalId);
    if (portalId === null || !credentials) {
      refuse(res, deps.logger, 'the request names no portal this app is installed in');
      return;
    }
    const verdict = verifyRequest(req, { clientSecrets: credentials.clientSecrets, publicBaseUrl: deps.publicBaseUrl, now: deps.clock.now(), legacy: accepts.legacy });
    if (!verdict.ok) {
      refuse(res, deps.logger, verdict.reason);
      return;
    }
    res.locals['verifiedPortalId'] = portalId;
    next();
  };
  return [express.raw({ type: () => true, limit: '1mb' }), verify];
}

/**
 * A positive integer portal id. Without one, only a private app's single-portal backend takes its one portal (the
 * signature still proves the request comes from our app); everywhere else the request is refused.
 */
function claimedPortal(value: unknown, portals: PortalDirectory, singlePortalFallback: boolean): PortalId | null {
  if (value === undefined || value === null || value === '') {
    const served = portals.portals();
    return singlePortalFallback && served.length === 1 ? served[0]! : null;
  }
  const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

function refuse(res: Response, logger: Logger, reason: string): void {
  logger.warn({ reason }, 'signed request refused');
  sendHttpError(res, new HttpError('invalid_signature', reason));
}

/** The portal claim of a hubspot.fetch call: the `portalId` query parameter the card adds (CardClaims). */
export const portalFromQuery: PortalClaim = (req) => req.query['portalId'];

/** The portal claim of a workflow-action execution: `origin.portalId` in the signed body. */
export const portalFromActionBody: PortalClaim = (req) => {
  try {
    const body = JSON.parse(rawBodyOf(req)) as { origin?: { portalId?: unknown } } | null;
    return body?.origin?.portalId;
  } catch {
    return undefined;
  }
};
