import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot request signatures (webhooks, workflow-action calls and `hubspot.fetch` from cards), one implementation
 * for signing (the simulator) and verifying (the backend).
 *
 * v3: base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)), headers X-HubSpot-Signature-v3 and
 *     X-HubSpot-Request-Timestamp; requests older than 5 minutes are refused. We also refuse requests more than
 *     5 minutes in the future (the SDK only checks the past), and compare in constant time.
 * v2: hex(SHA-256(clientSecret + method + uri + body)); v1: hex(SHA-256(clientSecret + body)); both carry
 *     X-HubSpot-Signature and X-HubSpot-Signature-Version and have no timestamp (no replay protection). The
 *     verifier never takes v1 (for an empty GET it is the constant sha256(secret)); v2 only where a route asks for it
 *     (workflow actions, whose callbackId makes a replay harmless). Signing v1 stays for the simulator.
 * Sources: docs/hubspot-platform.md §3.2 (HubSpot request-validation page; v1/v2 vectors from HubSpot's docs).
 */

export const SIGNATURE_HEADERS = {
  v3: 'x-hubspot-signature-v3',
  timestamp: 'x-hubspot-request-timestamp',
  legacy: 'x-hubspot-signature',
  version: 'x-hubspot-signature-version',
} as const;

export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/** HubSpot decodes these escapes in the URI before signing v3 (request-validation docs). */
const URI_DECODES: ReadonlyArray<[RegExp, string]> = [
  [/%3A/gi, ':'],
  [/%2F/gi, '/'],
  [/%3F/gi, '?'],
  [/%40/gi, '@'],
  [/%21/gi, '!'],
  [/%24/gi, '$'],
  [/%27/gi, "'"],
  [/%28/gi, '('],
  [/%29/gi, ')'],
  [/%2A/gi, '*'],
  [/%2C/gi, ','],
  [/%3B/gi, ';'],
];

export function decodeSignedUri(uri: string): string {
  return URI_DECODES.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), uri);
}

export interface SignatureInput {
  clientSecret: string;
  method: string;
  /** The full URL as HubSpot called it: scheme, host, path and query. */
  url: string;
  body: string;
}

export function signV3(input: SignatureInput & { timestamp: number }): string {
  const source = `${input.method.toUpperCase()}${decodeSignedUri(input.url)}${input.body}${input.timestamp}`;
  return createHmac('sha256', input.clientSecret).update(source, 'utf8').digest('base64');
}

export function signV2(input: SignatureInput): string {
  return createHash('sha256').update(`${input.clientSecret}${input.method.toUpperCase()}${input.url}${input.body}`, 'utf8').digest('hex');
}

export function signV1(input: Pick<SignatureInput, 'clientSecret' | 'body'>): string {
  return createHash('sha256').update(`${input.clientSecret}${input.body}`, 'utf8').digest('hex');
}

/**
 * The headers HubSpot attaches to a signed request: v3 always, plus the legacy header it also sends
 * (v1 for webhook deliveries, v2 for `hubspot.fetch` and workflow actions).
 */
export function signedRequestHeaders(input: SignatureInput & { timestamp: number; legacyVersion: 'v1' | 'v2' }): Record<string, string> {
  const legacy = input.legacyVersion === 'v1' ? signV1(input) : signV2(input);
  return {
    'X-HubSpot-Signature-v3': signV3(input),
    'X-HubSpot-Request-Timestamp': String(input.timestamp),
    'X-HubSpot-Signature': legacy,
    'X-HubSpot-Signature-Version': input.legacyVersion,
  };
}

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Current and previous secrets, so a secret can be rotated without refusing requests. */
  clientSecrets: readonly string[];
  now: number;
  /**
   * The legacy signature this route takes when no v3 header is present (no timestamp, so no replay protection):
   * none for webhooks and hubspot.fetch (HubSpot sends them v3), v2 for workflow actions (documented v2). Default none.
   */
  legacy?: 'none' | 'v2';
}

export type VerifyResult = { ok: true; version: 'v3' | 'v2' } | { ok: false; reason: string };

function header(headers: HeaderBag, name: string): string | undefined {
  const direct = headers[name] ?? headers[name.toLowerCase()];
  const value = direct ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Verifies a HubSpot-signed request on its raw body; never throws. */
export function verifyHubSpotSignature(request: { method: string; url: string; rawBody: string; headers: HeaderBag }, options: VerifyOptions): VerifyResult {
  if (options.clientSecrets.length === 0) return { ok: false, reason: 'no client secret configured' };
  const v3 = header(request.headers, SIGNATURE_HEADERS.v3);
  if (v3) {
    const rawTimestamp = header(request.headers, SIGNATURE_HEADERS.timestamp);
    const timestamp = Number(rawTimestamp);
    if (!rawTimestamp || !Number.isFinite(timestamp)) return { ok: false, reason: 'missing or invalid X-HubSpot-Request-Timestamp' };
    if (Math.abs(options.now - timestamp) > MAX_SIGNATURE_AGE_MS) {
      return { ok: false, reason: `timestamp outside the 5-minute window (${Math.round((options.now - timestamp) / 1000)} s)` };
    }
    const matches = options.clientSecrets.some((clientSecret) => safeEqual(v3, signV3({ clientSecret, method: request.method, url: request.url, body: request.rawBody, timestamp })));
    return matches ? { ok: true, version: 'v3' } : { ok: false, reason: 'v3 signature mismatch' };
  }
  const legacy = header(request.headers, SIGNATURE_HEADERS.legacy);
  if (!legacy) return { ok: false, reason: 'no HubSpot signature header' };
  if ((options.legacy ?? 'none') === 'none') return { ok: false, reason: 'v3 signature required' };
  const version = (header(request.headers, SIGNATURE_HEADERS.version) ?? 'v1').toLowerCase();
  if (version !== 'v2') return { ok: false, reason: `signature version "${version}" not accepted here (v3 or v2)` };
  const matches = options.clientSecrets.some((clientSecret) => safeEqual(legacy.toLowerCase(), signV2({ clientSecret, method: request.method, url: request.url, body: request.rawBody })));
  return matches ? { ok: true, version } : { ok: false, reason: 'v2 signature mismatch' };
}
