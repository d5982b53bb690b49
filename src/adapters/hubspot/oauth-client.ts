import { z } from 'zod';
import { OAuthGrantRejected, OAuthServerUnavailable, type IssuedTokens, type OAuthServerPort, type TokenMetadata } from '../../app/oauth/oauth-ports';

/**
 * HubSpot's OAuth server through the date-versioned 2026-03 endpoints, which take every parameter in the
 * form-encoded BODY (client secret and tokens never in a URL, so never in a proxy log). The SDK (13.5) only wraps
 * the v1 endpoints, deprecated on 2027-02-16, hence plain fetch here.
 * https://developers.hubspot.com/docs/api-reference/latest/authentication/manage-oauth-tokens
 */
export interface OAuthClientOptions {
  /** https://api.hubapi.com, or the simulator's base URL. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Must equal the redirect_uri of the authorize request, byte for byte. */
  redirectUri: string;
  timeoutMs?: number;
}

export const OAUTH_PATHS = {
  token: '/oauth/2026-03/token',
  introspect: '/oauth/2026-03/token/introspect',
  revoke: '/oauth/2026-03/token/revoke',
  /** https://developers.hubspot.com/docs/api-reference/latest/app-management/app-uninstalls/guide (204, no body). */
  externalInstall: '/appinstalls/2026-03/external-install',
} as const;

/**
 * Documented fields: access_token, refresh_token, expires_in, token_type, id_token. hub_id and scopes were added
 * to the v1 response in 2025 (changelog "Additional details returned when generating OAuth access tokens");
 * whether 2026-03 returns them is UNVERIFIED, so they are optional and the install asks introspect for hub_id.
 * refresh_token is optional on a refresh: if HubSpot ever omits it, the one we hold stays valid (UNVERIFIED).
 */
const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive(),
  token_type: z.string().optional(),
  hub_id: z.number().int().positive().optional(),
  scopes: z.array(z.string()).optional(),
});

/** Documented (2026-03 token-introspect): active, token_use, hub_id, scopes, hub_domain, expires_in, app_id, … */
const IntrospectionSchema = z.object({
  active: z.boolean(),
  hub_id: z.number().int().positive().optional(),
  hub_domain: z.string().optional(),
  scopes: z.array(z.string()).optional(),
});

/** RFC 6749 error body, which HubSpot's OAuth endpoints return (`error`, `error_description`) beside status/message. */
const OAuthErrorSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  status: z.string().optional(),
  message: z.string().optional(),
});

export class HubSpotOAuthClient implements OAuthServerPort {
  constructor(private readonly options: OAuthClientOptions) {}

  async exchangeCode(code: string): Promise<IssuedTokens> {
    const body = await this.post(OAUTH_PATHS.token, { grant_type: 'authorization_code', code, redirect_uri: this.options.redirectUri });
    const tokens = parseOrThrow(TokenResponseSchema, body, 'token response');
    if (!tokens.refresh_token) throw new OAuthServerUnavailable('HubSpot issued no refresh token for the authorization code', null);
    return toIssued(tokens, tokens.refresh_token);
  }

  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const body = await this.post(OAUTH_PATHS.token, { grant_type: 'refresh_token', refresh_token: refreshToken });
    const tokens = parseOrThrow(TokenResponseSchema, body, 'token response');
    return toIssued(tokens, tokens.refresh_token ?? refreshToken);
  }

  async introspect(accessToken: string): Promise<TokenMetadata> {
    const body = await this.post(OAUTH_PATHS.introspect, { token: accessToken, token_type_hint: 'access_token' });
    const info = parseOrThrow(IntrospectionSchema, body, 'introspection response');
    if (!info.active || info.hub_id === undefined) throw new OAuthGrantRejected('inactive_token', 'HubSpot reports the new access token as inactive');
    return { hubId: info.hub_id, hubDomain: info.hub_domain ?? null, scopes: info.scopes ?? [] };
  }

  async revoke(refreshToken: string): Promise<void> {
    // Response body UNVERIFIED (the reference shows only errors); success is any 2xx.
    await this.post(OAUTH_PATHS.revoke, { token: refreshToken, token_type_hint: 'refresh_token' });
  }

  async uninstallFromAccount(accessToken: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(new URL(OAUTH_PATHS.externalInstall, this.options.baseUrl), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${accessToken}` },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new OAuthServerUnavailable(`HubSpot's app uninstalls API is unreachable: ${(error as Error).name}`, null);
    }
    await response.text();
    if (!response.ok) throw new OAuthServerUnavailable(`HubSpot's app uninstalls API answered ${response.status}`, response.status);
  }

  private async post(path: string, params: Record<string, string>): Promise<unknown> {
    const form = new URLSearchParams({ ...params, client_id: this.options.clientId, client_secret: this.options.clientSecret });
    let response: Response;
    try {
      response = await fetch(new URL(path, this.options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new OAuthServerUnavailable(`HubSpot's OAuth server is unreachable: ${(error as Error).name}`, null);
    }
    const text = await response.text();
    const json = parseJson(text);
    if (response.ok) return json;
    throw toOAuthError(response.status, json);
  }
}

function toIssued(tokens: z.output<typeof TokenResponseSchema>, refreshToken: string): IssuedTokens {
  return { accessToken: tokens.access_token, refreshToken, expiresInSeconds: tokens.expires_in, hubId: tokens.hub_id ?? null, scopes: tokens.scopes ?? null };
}

/**
 * invalid_grant (bad, expired or revoked code/refresh token) is final for that install. invalid_client means OUR
 * credentials are wrong: every install would fail alike, so it must never revoke installs; it is retried and logged.
 */
function toOAuthError(status: number, json: unknown): Error {
  const parsed = OAuthErrorSchema.safeParse(json);
  const detail = parsed.success ? (parsed.data.error_description ?? parsed.data.message ?? parsed.data.error ?? '') : '';
  const code = parsed.success ? parsed.data.error : undefined;
  if (status === 400 && code === 'invalid_grant') return new OAuthGrantRejected(code, `HubSpot refused the grant: ${detail}`);
  if (code === 'invalid_client' || status === 401)
    return new OAuthServerUnavailable(`HubSpot rejected the app's client credentials (HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET): ${detail}`, status);
  if (status === 429 || status >= 500) return new OAuthServerUnavailable(`HubSpot's OAuth server answered ${status}: ${detail}`, status);
  return new OAuthServerUnavailable(`HubSpot's OAuth server refused the request (${status} ${code ?? ''}): ${detail}`, status);
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function parseOrThrow<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(json);
  // The message names fields, never values: the body holds tokens.
  if (!parsed.success) throw new OAuthServerUnavailable(`unexpected ${what} from HubSpot: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.code}`).join(', ')}`, null);
  return parsed.data;
}
