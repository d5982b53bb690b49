import type { Request } from 'express';
import { verifyHubSpotSignature, type VerifyOptions, type VerifyResult } from '../adapters/hubspot/signature';

/**
 * The URL HubSpot signed: the public URL it called. Behind a proxy the configured PUBLIC_BASE_URL is the truth;
 * otherwise we rebuild it from X-Forwarded-* (trust proxy) or the Host header.
 */
export function signedUrl(req: Request, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return `${publicBaseUrl.replace(/\/+$/, '')}${req.originalUrl}`;
  const host = req.get('x-forwarded-host') ?? req.get('host') ?? 'localhost';
  return `${req.protocol}://${host}${req.originalUrl}`;
}

export function rawBodyOf(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

/** One verifier for webhooks, workflow-action calls and `hubspot.fetch` from cards. */
export function verifyRequest(
  req: Request,
  options: { clientSecrets: string[]; publicBaseUrl: string | undefined; now: number; legacy?: VerifyOptions['legacy'] },
): VerifyResult {
  return verifyHubSpotSignature(
    { method: req.method, url: signedUrl(req, options.publicBaseUrl), rawBody: rawBodyOf(req), headers: req.headers },
    { clientSecrets: options.clientSecrets, now: options.now, ...(options.legacy ? { legacy: options.legacy } : {}) },
  );
}
