import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { badAuthCode, badClient, badRedirectUri, badRefreshToken } from './oauth-error';

/** A public app registered with the simulated HubSpot (what the developer account's app settings hold). */
export interface OAuthAppRegistration {
  clientId: string;
  clientSecret: string;
  appId: number;
  redirectUrls: string[];
}

export interface OAuthGrant {
  portalId: number;
  clientId: string;
  appId: number;
  scopes: string[];
}

export interface IssuedTokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'bearer';
  hub_id: number;
  scopes: string[];
}

/** HubSpot's access-token lifetime since the cut from 6 h (reliability.md §5). */
export const ACCESS_TOKEN_LIFETIME_S = 30 * 60;
/** Authorization codes are "temporary, single-use"; their exact lifetime is UNVERIFIED (10 minutes here). */
const AUTH_CODE_LIFETIME_MS = 10 * 60_000;

interface AuthorizationCode extends OAuthGrant {
  redirectUri: string;
  expiresAt: number;
}

interface AccessToken extends OAuthGrant {
  expiresAt: number;
}

/** A client-credentials token: the app itself, no account (the webhooks journal's token). */
export interface AppToken {
  appId: number;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface OAuthPortalCounters {
  authorizationCodeGrants: number;
  refreshGrants: number;
  refused: number;
}

/**
 * HubSpot's OAuth server for public apps: consent (authorize) issues single-use codes; the token endpoint turns
 * codes and refresh tokens into 30-minute access tokens that the API gate accepts for that portal only;
 * refresh tokens last until revoked or the app is uninstalled from the account.
 */
export class OAuthServer {
  private readonly apps = new Map<string, OAuthAppRegistration>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, OAuthGrant>();
  /** Revoked refresh tokens, remembered only to count a later refusal against the right portal. */
  private readonly revokedRefreshTokens = new Map<string, number>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly appTokens = new Map<string, AppToken>();
  private readonly counters = new Map<number, OAuthPortalCounters>();

  constructor(
    private readonly clock: Clock,
    private readonly portalExists: (portalId: number) => boolean,
  ) {}

  registerApp(app: OAuthAppRegistration): void {
    this.apps.set(app.clientId, { ...app, redirectUrls: [...app.redirectUrls] });
  }

  app(clientId: string): OAuthAppRegistration | undefined {
    return this.apps.get(clientId);
  }

  /** The installing admin approved the app for `portalId`: a code for the redirect. */
  approve(clientId: string, redirectUri: string, portalId: number, scopes: string[]): string {
    const app = this.apps.get(clientId);
    if (!app) throw badClient();
    if (!app.redirectUrls.includes(redirectUri)) throw badRedirectUri();
    if (!this.portalExists(portalId)) throw new Error(`no simulated portal ${portalId}`);
    const code = `sim-code-${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { portalId, clientId, appId: app.appId, scopes, redirectUri, expiresAt: this.clock.now() + AUTH_CODE_LIFETIME_MS });
    return code;
  }

  exchangeCode(client: { clientId: string; clientSecret: string }, code: string, redirectUri: string): IssuedTokenResponse {
    const app = this.authenticate(client);
    const grant = this.codes.get(code);
    // Single use: a code is spent by the first exchange, successful or not.
    this.codes.delete(code);
    if (!grant || grant.clientId !== app.clientId || grant.expiresAt < this.clock.now()) throw this.refuse(grant?.portalId, badAuthCode());
    if (grant.redirectUri !== redirectUri) throw this.refuse(grant.portalId, badRedirectUri());
    this.count(grant.portalId).authorizationCodeGrants += 1;
    const refreshToken = `sim-rt-${grant.portalId}-${randomBytes(16).toString('hex')}`;
    this.refreshTokens.set(refreshToken, { portalId: grant.portalId, clientId: grant.clientId, appId: grant.appId, scopes: grant.scopes });
    return this.issue(this.refreshTokens.get(refreshToken)!, refreshToken);
  }

  refresh(client: { clientId: string; clientSecret: string }, refreshToken: string): IssuedTokenResponse {
    const app = this.authenticate(client);
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.clientId !== app.clientId) throw this.refuse(grant?.portalId ?? this.revokedRefreshTokens.get(refreshToken), badRefreshToken());
    this.count(grant.portalId).refreshGrants += 1;
    // HubSpot keeps the refresh token across refreshes (it returns the same one).
    return this.issue(grant, refreshToken);
  }

  /**
   * grant_type=client_credentials: a token for the app, with the scopes asked for (the journal needs
   * developer.webhooks_journal.read). Its lifetime is UNVERIFIED; 30 minutes like user tokens.
   */
  clientCredentials(client: { clientId: string; clientSecret: string }, scopes: string[]): { access_token: string; expires_in: number; token_type: 'bearer'; scopes: string[] } {
    const app = this.authenticate(client);
    const accessToken = `sim-cc-${app.appId}-${randomBytes(24).toString('base64url')}`;
    this.appTokens.set(accessToken, { appId: app.appId, clientId: app.clientId, scopes: [...scopes], expiresAt: this.clock.now() + ACCESS_TOKEN_LIFETIME_S * 1000 });
    return { access_token: accessToken, expires_in: ACCESS_TOKEN_LIFETIME_S, token_type: 'bearer', scopes: [...scopes] };
  }

  appToken(token: string): AppToken | undefined {
    const found = this.appTokens.get(token);
    return found && found.expiresAt > this.clock.now() ? found : undefined;
  }

  /** The portal an unexpired access token opens (the API gate's lookup). */
  portalOfAccessToken(token: string): number | undefined {
    const access = this.accessTokens.get(token);
    return access && access.expiresAt > this.clock.now() ? access.portalId : undefined;
  }

  accessTokenInfo(token: string): (AccessToken & { expiresInSeconds: number }) | undefined {
    const access = this.accessTokens.get(token);
    if (!access || access.expiresAt <= this.clock.now()) return undefined;
    return { ...access, expiresInSeconds: Math.floor((access.expiresAt - this.clock.now()) / 1000) };
  }

  refreshTokenInfo(token: string): OAuthGrant | undefined {
    return this.refreshTokens.get(token);
  }

  /** Deletes one refresh token; the access tokens it minted stay valid until they expire (as HubSpot documents). */
  revokeRefreshToken(token: string): boolean {
    const grant = this.refreshTokens.get(token);
    if (!grant) return false;
    this.refreshTokens.delete(token);
    this.revokedRefreshTokens.set(token, grant.portalId);
    return true;
  }

  /** The app is uninstalled from the account: every refresh and access token of that app and portal stops working. */
  uninstall(appId: number, portalId: number): void {
    for (const [token, grant] of this.refreshTokens) if (grant.appId === appId && grant.portalId === portalId) this.revokeRefreshToken(token);
    for (const [token, grant] of this.accessTokens) if (grant.appId === appId && grant.portalId === portalId) this.accessTokens.delete(token);
  }

  /** Test control: revoke every refresh token of a portal (the admin revoked access; access tokens run out). */
  revokeRefreshTokensOf(portalId: number): number {
    let revoked = 0;
    for (const [token, grant] of this.refreshTokens) if (grant.portalId === portalId && this.revokeRefreshToken(token)) revoked++;
    return revoked;
  }

  stats(portalId: number): OAuthPortalCounters {
    return { ...this.count(portalId) };
  }

  authenticate(client: { clientId: string; clientSecret: string }): OAuthAppRegistration {
    const app = this.apps.get(client.clientId);
    if (!app || app.clientSecret !== client.clientSecret) throw badClient();
    return app;
  }

  private issue(grant: OAuthGrant, refreshToken: string): IssuedTokenResponse {
    const accessToken = `sim-at-${grant.portalId}-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(accessToken, { ...grant, expiresAt: this.clock.now() + ACCESS_TOKEN_LIFETIME_S * 1000 });
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: ACCESS_TOKEN_LIFETIME_S, token_type: 'bearer', hub_id: grant.portalId, scopes: [...grant.scopes] };
  }

  private refuse<E extends Error>(portalId: number | undefined, error: E): E {
    if (portalId !== undefined) this.count(portalId).refused += 1;
    return error;
  }

  private count(portalId: number): OAuthPortalCounters {
    let counters = this.counters.get(portalId);
    if (!counters) this.counters.set(portalId, (counters = { authorizationCodeGrants: 0, refreshGrants: 0, refused: 0 }));
    return counters;
  }
}
