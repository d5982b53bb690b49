import type { Clock } from '../ports/clock';
import { HubSpotError } from '../ports/hubspot-port';
import { retryDelayMs } from '../pipeline/backoff';

const MAX_ATTEMPTS = 6;

/**
 * Retries a read that failed transiently (429, 5xx, timeout, network): a backfill of a million contacts meets some,
 * and one must not end a run of half an hour. After a 429 the gateway's limiter already holds every call for the
 * window HubSpot named, so only other failures wait here. Anything else (auth, validation) is thrown at once.
 */
export async function retryTransient<T>(clock: Clock, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof HubSpotError) || !error.transient || attempt >= MAX_ATTEMPTS) throw error;
      if (error.kind !== 'rate_limited') await clock.sleep(retryDelayMs(attempt));
    }
  }
}
