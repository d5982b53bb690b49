/**
 * An OAuth endpoint's refusal, rendered the way HubSpot's OAuth API answers since its move to RFC 6749 errors:
 * `error` + `error_description`, with the older `status` + `message` kept beside them
 * (changelog "New OAuth v3 API endpoints and standardized error responses"; exact `status` codes UNVERIFIED).
 */
export class OAuthError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type',
    readonly legacyStatus: string,
    description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  toBody(): Record<string, string> {
    return { error: this.error, error_description: this.message, status: this.legacyStatus, message: this.message };
  }
}

export const badRefreshToken = () => new OAuthError(400, 'invalid_grant', 'BAD_REFRESH_TOKEN', 'refresh token is invalid, expired or revoked');
export const badAuthCode = () => new OAuthError(400, 'invalid_grant', 'BAD_AUTH_CODE', 'authorization code is invalid, expired or already used');
export const badRedirectUri = () => new OAuthError(400, 'invalid_grant', 'BAD_REDIRECT_URI', 'redirect_uri does not match the one of the authorization request');
export const badClient = () => new OAuthError(401, 'invalid_client', 'BAD_CLIENT_ID', 'client_id or client_secret is not valid for any app');
export const missingParameter = (name: string) => new OAuthError(400, 'invalid_request', 'BAD_REQUEST', `missing required parameter ${name}`);
