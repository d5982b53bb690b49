import { HubSpotError } from '../../app/ports/hubspot-port';

const TEN_SECONDS = 10_000;

interface SdkLikeError {
  code?: number;
  body?: unknown;
  headers?: Record<string, string>;
  message?: string;
}

function bodyField(body: unknown, field: string): string | undefined {
  if (typeof body === 'object' && body !== null && field in body) {
    const value = (body as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/**
 * Turns whatever the SDK or the network threw into one HubSpotError. 429s are told apart by HubSpot's
 * policyName (TEN_SECONDLY_ROLLING vs DAILY) and the search API's "secondly limit" message.
 */
export function classifyHubSpotError(error: unknown): HubSpotError {
  if (error instanceof HubSpotError) return error;
  const e = (error ?? {}) as SdkLikeError & { name?: string; type?: string; errno?: string };
  const status = typeof e.code === 'number' ? e.code : null;
  const message = bodyField(e.body, 'message') ?? (e.message ?? String(error)).split('\n')[0] ?? 'HubSpot call failed';
  if (status === null) {
    if (e.name === 'TimeoutError') return new HubSpotError('timeout', message, null);
    return new HubSpotError('network', message, null);
  }
  if (status === 429) {
    const policy = bodyField(e.body, 'policyName');
    if (policy === 'DAILY') return new HubSpotError('daily_limit', message, status);
    const interval = Number(e.headers?.['x-hubspot-ratelimit-interval-milliseconds']);
    const wait = policy === 'TEN_SECONDLY_ROLLING' || !policy ? (Number.isFinite(interval) && interval > 0 ? interval : TEN_SECONDS) : 1_000;
    const secondly = /secondly limit/i.test(message);
    return new HubSpotError('rate_limited', message, status, secondly ? 1_000 : wait);
  }
  if (status === 401 || status === 403) return new HubSpotError('auth', message, status);
  if (status === 404) return new HubSpotError('not_found', message, status);
  if (status === 423) return new HubSpotError('rate_limited', message, status, 2_000); // "Locked": wait ≥ 2 s (docs)
  if (status >= 500) return new HubSpotError('server', message, status);
  return new HubSpotError('validation', message, status);
}
