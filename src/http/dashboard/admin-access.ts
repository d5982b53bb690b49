import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv6 } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError, sendHttpError } from '../errors';

/** Long enough that guessing it over HTTP is hopeless. */
export const DashboardTokenSchema = z.string().min(16, { message: 'DASHBOARD_TOKEN must be at least 16 characters' });

const REALM = 'lifecycle-dashboard';

/**
 * Admin-only access to the reports. With a token: `Authorization: Bearer <token>` for API clients, or HTTP Basic
 * with the token as password, which lets a browser open the page (it prompts once and then sends the header with
 * every request of the page, fetches included). Without a token: loopback clients only, and every response says
 * so in `X-Dashboard-Access`.
 *
 * The loopback check reads the socket, never `req.ip`: the app trusts X-Forwarded-For, which any client can send.
 * Behind a reverse proxy on the same host every request looks local, so set a token there.
 *
 * @throws ZodError at start-up when the token is too short.
 */
export function adminAccess(options: { token?: string | undefined }): RequestHandler {
  if (options.token === undefined) return loopbackOnly;
  const expected = digest(DashboardTokenSchema.parse(options.token));
  return (req, res, next) => {
    const presented = presentedToken(req);
    if (presented !== null && timingSafeEqual(digest(presented), expected)) return next();
    res.append('WWW-Authenticate', `Bearer realm="${REALM}"`);
    res.append('WWW-Authenticate', `Basic realm="${REALM}", charset="UTF-8"`);
    sendHttpError(res, new HttpError('unauthorized', 'the dashboard token is missing or wrong (Authorization: Bearer <DASHBOARD_TOKEN>)'));
  };
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1, including IPv4-mapped IPv6 (::ffff:127.0.0.1), which BlockList matches to the IPv4 rule. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return loopback.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}

const loopbackOnly: RequestHandler = (req, res, next) => {
  res.set('X-Dashboard-Access', 'loopback-only; DASHBOARD_TOKEN is not set');
  if (isLoopbackAddress(req.socket.remoteAddress)) return next();
  sendHttpError(res, new HttpError('forbidden', 'DASHBOARD_TOKEN is not set, so the dashboard only answers requests from this machine (loopback)'));
};

function presentedToken(req: Request): string | null {
  const [scheme, credentials] = (req.get('authorization') ?? '').split(' ', 2);
  if (!credentials) return null;
  if (/^bearer$/i.test(scheme ?? '')) return credentials;
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? null : decoded.slice(colon + 1);
  }
  return null;
}

/** Equal-length digests, so the constant-time comparison does not leak the token's length either. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
