/**
 * What the OAuth use cases need from the outside: HubSpot's OAuth server, a cipher for tokens at rest and a signer
 * for the install `state`. Adapters: adapters/hubspot/oauth-client.ts, adapters/crypto/*.
 */

/** Tokens HubSpot issued (authorization_code or refresh_token grant). Plaintext: seal before storing, never log. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token as HubSpot states it (30 minutes today); always follow it, never assume. */
  expiresInSeconds: number;
  /** The account the token is for, when the token response carries it (UNVERIFIED for 2026-03; see introspect). */
  hubId: number | null;
  scopes: string[] | null;
}

/** What HubSpot says about an access token: above all which account (hub_id) it belongs to. */
export interface TokenMetadata {
  hubId: number;
  hubDomain: string | null;
  scopes: string[];
}

export interface OAuthServerPort {
  exchangeCode(code: string): Promise<IssuedTokens>;
  refresh(refreshToken: string): Promise<IssuedTokens>;
  introspect(accessToken: string): Promise<TokenMetadata>;
  /** Revokes a refresh token (the access tokens it minted stay valid until they expire). */
  revoke(refreshToken: string): Promise<void>;
  /** Removes the app from the account the access token belongs to (HubSpot's app uninstalls API). */
  uninstallFromAccount(accessToken: string): Promise<void>;
}

/**
 * HubSpot refused a code or a refresh token for good (`invalid_grant`: expired, revoked, app uninstalled).
 * Retrying cannot help; the install needs the admin.
 */
export class OAuthGrantRejected extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'OAuthGrantRejected';
  }
}

/** HubSpot's OAuth server could not answer now (network, 5xx, 429): try again later. */
export class OAuthServerUnavailable extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'OAuthServerUnavailable';
  }
}

/** Seals secrets for storage, bound to the portal they belong to. */
export interface TokenCipher {
  readonly currentKeyId: string;
  seal(portalId: number, plaintext: string): string;
  open(portalId: number, sealed: string): string;
}

/** Makes the install `state` tamper-evident: only we can mint one, and it carries its own expiry. */
export interface InstallStateSigner {
  sign(claims: InstallStateClaims): string;
  /** The claims of a state we signed, or null for anything forged, altered or malformed. */
  verify(state: string): InstallStateClaims | null;
}

export interface InstallStateClaims {
  stateId: string;
  expiresAt: number;
}
