import type { Request } from 'express';
import { verifyHubSpotSignature, type VerifyOptions, type VerifyResult } from '../adapters/hubspot/signature';

/**
 * The URL HubSpot signed: the public URL it called. The configured PUBLIC_BASE_URL is the truth when set;
 * otherwise the request's own scheme and Host — Express reads X-Forwarded-Proto/Host for them only when the
 * operator opted in (TRUST_PROXY → 'trust proxy'), so a client cannot choose the URL a signature is checked against.
 */
export function signedUrl(req: Request, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return `${publicBaseUrl.replace(/\/+$/, '')}${req.originalUrl}`;
  return `${req.protocol}://${req.host ?? 'localhost'}${req.originalUrl}`;
}

export function rawBodyOf(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

/** One verifier for webhooks, workflow-action calls and `hubspot.fetch` from cards. */
export function verifyRequest(req: Request, options: { clientSecrets: string[]; publicBaseUrl: string | undefined; now: number; legacy?: VerifyOptions['legacy'] }): VerifyResult {
  return verifyHubSpotSignature(
    { method: req.method, url: signedUrl(req, options.publicBaseUrl), rawBody: rawBodyOf(req), headers: req.headers },
    { clientSecrets: options.clientSecrets, now: options.now, ...(options.legacy ? { legacy: options.legacy } : {}) },
  );
}
