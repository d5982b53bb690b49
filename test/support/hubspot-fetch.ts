import { randomUUID } from 'node:crypto';
import { signedRequestHeaders } from '../../src/adapters/hubspot/signature';
import { withCardClaims, type CardClaims } from '../../src/contracts/card-api';

export interface SignedFetchOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  /** Extra query parameters (appId, which HubSpot appends; or hand-made claims); null leaves one out. */
  query?: Record<string, string | number | null>;
  /**
   * What the card states in the query (src/contracts/card-api.ts withCardClaims, the function the cards use). A POST
   * without a requestId gets a fresh one, as each button press does; pass `requestId: null` to send none.
   */
  claims?: Omit<CardClaims, 'requestId'> & { requestId?: string | null };
  /** The secret that signs; a wrong one forges the request. */
  clientSecret: string;
  timestamp: number;
  /** Changes the URL after signing, as an attacker editing a captured request would. */
  tamper?: (url: URL) => void;
  unsigned?: boolean;
}

/**
 * A request as hubspot.fetch delivers it to the backend: the card's claims in the query, JSON body, v3 + v2
 * signatures over the exact URL and bytes (src/adapters/hubspot/signature.ts, the same code HubSpot's rules are
 * documented in).
 */
export async function signedFetch(baseUrl: string, path: string, options: SignedFetchOptions): Promise<{ status: number; body: unknown }> {
  const method = options.method ?? 'GET';
  const { requestId, ...identity } = options.claims ?? { requestId: null };
  const claims: CardClaims | null = options.claims
    ? { ...(identity as Omit<CardClaims, 'requestId'>), ...(requestId === null ? {} : { requestId: requestId ?? (method === 'POST' ? randomUUID() : undefined) }) }
    : null;
  const url = new URL(`${baseUrl}${claims ? withCardClaims(path, claims) : path}`);
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== null) url.searchParams.set(name, String(value));
  const raw = options.body === undefined ? '' : JSON.stringify(options.body);
  const headers = options.unsigned
    ? {}
    : signedRequestHeaders({ clientSecret: options.clientSecret, method, url: url.toString(), body: raw, timestamp: options.timestamp, legacyVersion: 'v2' });
  options.tamper?.(url);
  const response = await fetch(url, { method, headers: { ...headers, 'content-type': 'application/json' }, ...(raw === '' ? {} : { body: raw }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** Re-asks until `ready` holds (a background refresh landing), failing after `attempts` tries. */
export async function eventually<T>(ask: () => Promise<T>, ready: (value: T) => boolean, attempts = 50): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await ask();
    if (ready(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`condition not met after ${attempts} attempts; last value: ${JSON.stringify(last)}`);
}
