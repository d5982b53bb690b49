import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CallbackInput, CompleteInstallResult } from '../../app/oauth/complete-install';
import type { PortalId } from '../../app/ports/store-ports';
import { HTTP_ERRORS, HttpError } from '../errors';
import { query } from '../route-kit';
import { portalFromQuery, requireSignedPortal, verifiedPortal, type SignedPortalDeps } from '../signed-portal';

/** The OAuth use cases, bound to their dependencies by the composition root (main/oauth-installs.ts). */
export interface OAuthRouteDeps extends SignedPortalDeps {
  beginInstall(options: { portalId?: PortalId }): Promise<{ authorizeUrl: string }>;
  completeInstall(input: CallbackInput): Promise<CompleteInstallResult>;
  uninstall(portalId: PortalId): Promise<{ uninstalled: boolean }>;
  logger: Logger;
}

const PortalHint = z.object({ portalId: z.string().regex(/^\d+$/, 'portalId must be a numeric HubSpot account id').transform(Number).optional() });

/** What HubSpot appends to the redirect URL; each value is a single string (a repeated key is refused). */
const CallbackQuery = z.object({
  code: z.string().min(1).max(2_000).optional(),
  state: z.string().min(1).max(2_000).optional(),
  error: z.string().max(200).optional(),
});

/**
 * GET /oauth/install: a fresh state and a 302 to HubSpot's consent screen (?portalId= skips the account picker).
 * GET /oauth/callback: HubSpot's redirect back; a missing, forged, expired or replayed state is a 400 and no code
 * is spent. POST /oauth/uninstall: HubSpot-signed (v3) request from the app's settings page, for the signed portal
 * only; tokens are revoked and deleted.
 */
export function oauthRoutes(deps: OAuthRouteDeps): Router {
  const router = Router();

  router.get('/oauth/install', async (req, res) => {
    const hint = query(req, PortalHint, 'invalid_request');
    const { authorizeUrl } = await deps.beginInstall(hint.portalId === undefined ? {} : { portalId: hint.portalId });
    res.set('Cache-Control', 'no-store').redirect(302, authorizeUrl);
  });

  router.get('/oauth/callback', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    // A browser lands here: errors are answered as a page or JSON (answer()), with the codes of errors.ts.
    const callback = CallbackQuery.safeParse(req.query);
    if (!callback.success) return void answer(res, 400, { error: 'invalid_request', message: z.prettifyError(callback.error) });
    let result: CompleteInstallResult;
    try {
      result = await deps.completeInstall(callback.data);
    } catch (error) {
      deps.logger.error({ err: error }, 'install could not be completed');
      const unavailable = new HttpError('hubspot_unavailable', 'HubSpot could not complete the install now; start it again in a moment');
      return void answer(res, HTTP_ERRORS.hubspot_unavailable.status, { error: unavailable.code, message: unavailable.message });
    }
    if (!result.ok) return void answer(res, 400, { error: result.reason, message: result.message });
    answer(res, 200, { installed: true, portalId: result.portalId, hubDomain: result.hubDomain, scopes: result.scopes, setUp: result.setUp });
  });

  router.post('/oauth/uninstall', ...requireSignedPortal(deps, portalFromQuery), async (_req, res) => {
    res.json(await deps.uninstall(verifiedPortal(res)));
  });

  return router;
}

/** JSON for programs, a short page for the admin's browser (the callback is a browser redirect). */
function answer(res: Response, status: number, body: Record<string, unknown>): void {
  res.status(status).format({
    json: () => res.json(body),
    html: () => res.send(page(status === 200 ? `Installed for HubSpot account ${String(body['portalId'])}.` : `Install failed: ${String(body['message'])}`)),
    default: () => res.json(body),
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (message: string) => `<!doctype html><meta charset="utf-8"><title>Lifecycle engine</title><p>${escapeHtml(message)}</p>`;
