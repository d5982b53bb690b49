import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import { HubSpotError } from '../ports/hubspot-port';
import type { InstallationPort, PortalId, SealedTokens } from '../ports/store-ports';
import { OAuthGrantRejected, OAuthServerUnavailable, type IssuedTokens, type OAuthServerPort, type TokenCipher } from './oauth-ports';

export interface AccessTokenProviderDeps {
  installations: InstallationPort;
  oauth: OAuthServerPort;
  cipher: TokenCipher;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /**
   * Share of a token's lifetime after which it is renewed. HubSpot: "401s are not a valid indicator that a new
   * access token must be retrieved", so renew ahead of expiry, never in reaction to a 401.
   */
  refreshAtShare?: number;
  /** HubSpot refused the refresh token for good: the portal must stop being served. */
  onRevoked?: (portalId: PortalId) => void;
}

interface UsableToken {
  accessToken: string;
  expiresAt: number;
  refreshAt: number;
}

/** A refresh that failed for a passing reason is retried after this long, while the token in hand still works. */
const RETRY_REFRESH_AFTER_MS = 30_000;
/** A token this close to expiry is not handed out: the request could arrive after it expired. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Hands each portal's gateway a valid OAuth access token before every call. Tokens are renewed at ~80 % of the
 * lifetime HubSpot stated (expires_in), and at most ONE renewal per portal is in flight in this process: the 20
 * jobs that find the token due together all wait for the same refresh (R13). The database row stays the truth,
 * so a token another process renewed is picked up instead of refreshing again.
 */
export class AccessTokenProvider {
  private readonly usable = new Map<PortalId, UsableToken>();
  private readonly renewals = new Map<PortalId, Promise<string>>();

  constructor(private readonly deps: AccessTokenProviderDeps) {}

  /** What a portal's gateway calls before each request. */
  forPortal(portalId: PortalId): () => Promise<string> {
    return () => this.accessToken(portalId);
  }

  async accessToken(portalId: PortalId): Promise<string> {
    const held = this.usable.get(portalId);
    if (held && this.deps.clock.now() < held.refreshAt) return held.accessToken;
    let renewal = this.renewals.get(portalId);
    if (!renewal) {
      renewal = this.renew(portalId).finally(() => this.renewals.delete(portalId));
      this.renewals.set(portalId, renewal);
    }
    return renewal;
  }

  /** Seals freshly issued tokens for storage (install) and keeps the access token ready for the portal's calls. */
  sealIssued(portalId: PortalId, issued: IssuedTokens, issuedAt: number): SealedTokens {
    const sealed: SealedTokens = {
      accessTokenSealed: this.deps.cipher.seal(portalId, issued.accessToken),
      accessTokenIssuedAt: issuedAt,
      accessTokenExpiresAt: issuedAt + issued.expiresInSeconds * 1000,
      refreshTokenSealed: this.deps.cipher.seal(portalId, issued.refreshToken),
      encryptionKeyId: this.deps.cipher.currentKeyId,
    };
    this.usable.set(portalId, this.usableFrom(issued.accessToken, sealed));
    return sealed;
  }

  /** Uninstall or revocation: nothing of this portal's tokens stays in memory. */
  forget(portalId: PortalId): void {
    this.usable.delete(portalId);
  }

  private async renew(portalId: PortalId): Promise<string> {
    const now = this.deps.clock.now();
    const installation = await this.deps.installations.get(portalId);
    if (!installation || installation.status !== 'active' || !installation.tokens) {
      this.forget(portalId);
      throw new HubSpotError('auth', `portal ${portalId} has no active install of this app`, null);
    }
    const stored = installation.tokens;
    const current = this.usableFrom(this.deps.cipher.open(portalId, stored.accessTokenSealed), stored);
    if (now < current.refreshAt) {
      this.usable.set(portalId, current);
      return current.accessToken;
    }
    try {
      const issued = await this.deps.oauth.refresh(this.deps.cipher.open(portalId, stored.refreshTokenSealed));
      const issuedAt = this.deps.clock.now();
      const sealed = this.sealIssued(portalId, issued, issuedAt);
      if (!(await this.deps.installations.saveRefreshedTokens(portalId, sealed, issuedAt))) {
        this.forget(portalId);
        throw new HubSpotError('auth', `portal ${portalId} was uninstalled while its token was being renewed`, null);
      }
      this.deps.logger.debug({ portalId, expiresAt: sealed.accessTokenExpiresAt }, 'OAuth access token renewed');
      return issued.accessToken;
    } catch (error) {
      if (error instanceof OAuthGrantRejected) return this.revoked(portalId, error);
      if (error instanceof OAuthServerUnavailable) return this.keepCurrentOrFail(portalId, current, error);
      throw error;
    }
  }

  private async revoked(portalId: PortalId, error: OAuthGrantRejected): Promise<never> {
    const reason = `HubSpot refused the refresh token (${error.error}): the app was uninstalled or its access revoked; reinstall the app to resume`;
    this.forget(portalId);
    await this.deps.installations.markRevoked(portalId, reason, this.deps.clock.now());
    this.deps.onRevoked?.(portalId);
    this.deps.logger.warn({ portalId }, 'OAuth install revoked: this portal is no longer served');
    throw new HubSpotError('auth', reason, null);
  }

  /** HubSpot's OAuth server is briefly unavailable: the token in hand is still good until it expires. */
  private keepCurrentOrFail(portalId: PortalId, current: UsableToken, error: OAuthServerUnavailable): string {
    const now = this.deps.clock.now();
    this.deps.logger.warn({ portalId, status: error.status, reason: error.message }, 'OAuth token renewal failed; will retry');
    if (now < current.expiresAt - EXPIRY_MARGIN_MS) {
      this.usable.set(portalId, { ...current, refreshAt: Math.min(now + RETRY_REFRESH_AFTER_MS, current.expiresAt - EXPIRY_MARGIN_MS) });
      return current.accessToken;
    }
    const kind = error.status === 401 ? 'auth' : error.status !== null && error.status >= 500 ? 'server' : 'network';
    throw new HubSpotError(kind, `cannot renew the access token of portal ${portalId}: ${error.message}`, error.status);
  }

  private usableFrom(accessToken: string, tokens: SealedTokens): UsableToken {
    const lifetime = tokens.accessTokenExpiresAt - tokens.accessTokenIssuedAt;
    return { accessToken, expiresAt: tokens.accessTokenExpiresAt, refreshAt: tokens.accessTokenIssuedAt + Math.floor(lifetime * (this.deps.refreshAtShare ?? 0.8)) };
  }
}
