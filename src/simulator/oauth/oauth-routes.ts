import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { notFound, validationError } from '../domain/simulated-api-error';
import { portalOf } from '../http/portal-context';
import type { Accounting } from '../stats/accounting';
import { missingParameter, OAuthError } from './oauth-error';
import type { OAuthServer } from './oauth-server';

const spaceSeparated = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(/[\s+]+/).filter(Boolean));

const AuthorizeQuery = z.object({
  client_id: z.string().min(1),
  redirect_uri: z.url(),
  scope: spaceSeparated,
  optional_scope: spaceSeparated,
  state: z.string().optional(),
});

const TokenRequest = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), client_id: z.string(), client_secret: z.string(), code: z.string().min(1), redirect_uri: z.string().min(1) }),
  z.object({ grant_type: z.literal('refresh_token'), client_id: z.string(), client_secret: z.string(), refresh_token: z.string().min(1) }),
  // An app-level token (no account): what the webhooks journal reads with (journal guide, "Authentication and scopes").
  z.object({ grant_type: z.literal('client_credentials'), client_id: z.string(), client_secret: z.string(), scope: spaceSeparated }),
]);

const TokenBodyRequest = z.object({ client_id: z.string(), client_secret: z.string(), token: z.string().min(1), token_type_hint: z.string().optional() });

const simulatedUser = (portalId: number) => ({ user: `admin@portal-${portalId}.sim.test`, user_id: 1_000_000 + portalId, hub_domain: `portal-${portalId}.sim.hubspot.test` });

/**
 * HubSpot's OAuth surface: the consent redirect (app.hubspot.com/oauth/authorize, optionally /oauth/{portalId}/authorize),
 * the token endpoint in its v1 (SDK) and 2026-03 (body-only) versions, token metadata (v1 GETs, 2026-03 introspect),
 * refresh-token revocation, and the app-uninstall API. Bodies are form-encoded, as HubSpot requires.
 */
export function oauthRouter(oauth: OAuthServer, accounting: Accounting, defaultConsentPortal: () => number): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const account = (res: Response, label: string, portalId: () => number | undefined) => res.on('finish', () => accounting.recordCall(portalId() ?? 0, res.req.method, label, res.statusCode));

  const authorize = (req: Request, res: Response) => {
    const query = parseOAuth(AuthorizeQuery, req.query);
    const chosen = typeof req.params['portalId'] === 'string' ? req.params['portalId'] : undefined;
    if (chosen !== undefined && !/^\d+$/.test(chosen)) throw notFound(`No route for GET ${req.path}`);
    const portalId = chosen === undefined ? defaultConsentPortal() : Number(chosen);
    // The simulated admin grants every requested scope, optional ones included.
    const code = oauth.approve(query.client_id, query.redirect_uri, portalId, [...query.scope, ...query.optional_scope]);
    const target = new URL(query.redirect_uri);
    target.searchParams.set('code', code);
    if (query.state !== undefined) target.searchParams.set('state', query.state);
    res.redirect(302, target.toString());
  };
  router.get('/oauth/authorize', authorize);
  router.get('/oauth/:portalId/authorize', authorize);

  for (const path of ['/oauth/v1/token', '/oauth/2026-03/token']) {
    router.post(path, form, (req, res) => {
      let portalId: number | undefined;
      account(res, path, () => portalId);
      const body = parseOAuth(TokenRequest, req.body);
      const client = { clientId: body.client_id, clientSecret: body.client_secret };
      if (body.grant_type === 'client_credentials') {
        res.json(oauth.clientCredentials(client, body.scope));
        return;
      }
      const issued = body.grant_type === 'authorization_code' ? oauth.exchangeCode(client, body.code, body.redirect_uri) : oauth.refresh(client, body.refresh_token);
      portalId = issued.hub_id;
      res.json(issued);
    });
  }

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const info = oauth.accessTokenInfo(String(req.params['token']));
    account(res, '/oauth/v1/access-tokens/{token}', () => info?.portalId);
    // Unknown or expired token: the answer's exact shape is UNVERIFIED; HubSpot's error body here.
    if (!info) throw notFound('The access token is invalid or expired');
    res.json({
      token: req.params['token'],
      hub_id: info.portalId,
      app_id: info.appId,
      scopes: info.scopes,
      expires_in: info.expiresInSeconds,
      token_type: 'access',
      is_private_distribution: false,
      ...simulatedUser(info.portalId),
    });
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const grant = oauth.refreshTokenInfo(String(req.params['token']));
    account(res, '/oauth/v1/refresh-tokens/{token}', () => grant?.portalId);
    if (!grant) throw notFound('The refresh token is invalid or revoked');
    res.json({ token: req.params['token'], hub_id: grant.portalId, client_id: grant.clientId, scopes: grant.scopes, token_type: 'refresh', ...simulatedUser(grant.portalId) });
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const grant = oauth.refreshTokenInfo(String(req.params['token']));
    account(res, '/oauth/v1/refresh-tokens/{token}', () => grant?.portalId);
    if (!grant) throw notFound('The refresh token is invalid or revoked');
    oauth.revokeRefreshToken(String(req.params['token']));
    res.status(204).end();
  });

  router.post('/oauth/2026-03/token/introspect', form, (req, res) => {
    let portalId: number | undefined;
    account(res, '/oauth/2026-03/token/introspect', () => portalId);
    const body = parseOAuth(TokenBodyRequest, req.body);
    const app = oauth.authenticate({ clientId: body.client_id, clientSecret: body.client_secret });
    const access = oauth.accessTokenInfo(body.token);
    const refresh = access ? undefined : oauth.refreshTokenInfo(body.token);
    const grant = access ?? refresh;
    // RFC 7662: anything not usable (unknown, expired, revoked, another app's) is simply inactive.
    if (!grant || grant.clientId !== app.clientId) return void res.json({ active: false });
    portalId = grant.portalId;
    res.json({
      active: true,
      // token_use for refresh tokens is UNVERIFIED (the reference lists only access_token).
      token_use: access ? 'access_token' : 'refresh_token',
      token: body.token,
      hub_id: grant.portalId,
      client_id: grant.clientId,
      app_id: grant.appId,
      scopes: grant.scopes,
      expires_in: access?.expiresInSeconds ?? 0,
      is_private_distribution: false,
      token_type: 'bearer',
      ...simulatedUser(grant.portalId),
    });
  });

  router.post('/oauth/2026-03/token/revoke', form, (req, res) => {
    let portalId: number | undefined;
    account(res, '/oauth/2026-03/token/revoke', () => portalId);
    const body = parseOAuth(TokenBodyRequest, req.body);
    const app = oauth.authenticate({ clientId: body.client_id, clientSecret: body.client_secret });
    const grant = oauth.refreshTokenInfo(body.token);
    if (grant && grant.clientId === app.clientId) {
      portalId = grant.portalId;
      oauth.revokeRefreshToken(body.token);
    }
    // RFC 7009: revoking an unknown token is not an error. HubSpot's success body is UNVERIFIED (204 here).
    res.status(204).end();
  });

  router.use((error: unknown, _req: Request, res: Response, next: (error?: unknown) => void) => {
    if (!(error instanceof OAuthError)) return next(error);
    res.status(error.httpStatus).json(error.toBody());
  });
  return router;
}

/** DELETE /appinstalls/2026-03/external-install (behind the API gate: the account's own access token says which install). */
export function appInstallsRouter(oauth: OAuthServer): Router {
  const router = Router();
  router.delete('/external-install', (req, res) => {
    const portal = portalOf(res);
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim() ?? '';
    // The app whose token made the call is the one uninstalled (a static-token caller: the portal's own app).
    oauth.uninstall(oauth.accessTokenInfo(token)?.appId ?? portal.appId, portal.portalId);
    res.status(204).end();
  });
  return router;
}

function parseOAuth<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const missing = parsed.error.issues.find((issue) => issue.code === 'invalid_type' && issue.path.length === 1);
  if (missing) throw missingParameter(String(missing.path[0]));
  if (parsed.error.issues.some((issue) => issue.path[0] === 'grant_type'))
    throw new OAuthError(400, 'unsupported_grant_type', 'BAD_GRANT_TYPE', 'grant_type must be authorization_code, refresh_token or client_credentials');
  throw validationError(z.prettifyError(parsed.error).replace(/\n/g, ' '));
}
