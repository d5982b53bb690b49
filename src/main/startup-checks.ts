import { BlockList, createServer, isIP } from 'node:net';
import type { Clock } from '../app/ports/clock';
import { HubSpotError } from '../app/ports/hubspot-port';
import type { Env } from '../config/env';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const isLoopback = (host: string) => host === 'localhost' || (isIP(host) !== 0 && loopback.check(host, isIP(host) === 6 ? 'ipv6' : 'ipv4'));

/**
 * What `serve` warns about before it listens. Beyond loopback, HubSpot reaches the backend through a public URL the
 * backend cannot see; without PUBLIC_BASE_URL every signature is checked against the local Host header (and
 * X-Forwarded-* only with TRUST_PROXY), which fails behind most proxies.
 */
export function listenWarnings(env: Pick<Env, 'HOST' | 'PUBLIC_BASE_URL' | 'TRUST_PROXY'>): string[] {
  if (isLoopback(env.HOST) || env.PUBLIC_BASE_URL) return [];
  return [
    `HOST ${env.HOST} listens beyond loopback but PUBLIC_BASE_URL is not set: HubSpot's signatures are checked against the Host header${env.TRUST_PROXY ? ' and X-Forwarded-*' : ''}; set PUBLIC_BASE_URL to the https URL HubSpot calls`,
  ];
}

/**
 * Fails with one line naming PORT when the port is taken — before any HubSpot call or database migration, so a
 * second `serve` on the same machine says what is wrong instead of provisioning first and crashing after.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `PORT ${port} is already in use on ${host}: stop the other process or set PORT to a free port`
            : `PORT ${port} on HOST ${host} cannot be listened on (${error.code ?? error.message}): set PORT/HOST`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** At start-up HubSpot may be briefly unavailable or rate-limiting: wait and retry rather than exit. */
export const STARTUP_RETRY = { attempts: 10, firstDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * One start-up step against a portal (provisioning, reading its stages): 429, 5xx, timeouts and connection errors
 * are retried with capped exponential backoff (HubSpot's Retry-After when it gives one); a refused token is an
 * error naming HUBSPOT_ACCESS_TOKEN and the portal; anything else is thrown as is.
 */
export async function withStartupRetry<T>(portalId: number, clock: Pick<Clock, 'sleep'>, step: () => Promise<T>, onRetry?: (error: HubSpotError, waitMs: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof HubSpotError)) throw error;
      if (error.kind === 'auth') {
        throw new Error(
          `HubSpot refused HUBSPOT_ACCESS_TOKEN for portal ${portalId} (HTTP ${error.status ?? '?'}): check that the token belongs to HUBSPOT_PORTAL_ID ${portalId} and has the app's scopes`,
        );
      }
      if (!error.transient || attempt >= STARTUP_RETRY.attempts) throw error;
      const backoff = Math.min(STARTUP_RETRY.maxDelayMs, STARTUP_RETRY.firstDelayMs * 2 ** (attempt - 1));
      const waitMs = Math.max(backoff, error.retryAfterMs ?? 0);
      onRetry?.(error, waitMs);
      await clock.sleep(waitMs);
    }
  }
}
