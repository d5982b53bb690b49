import type { Logger } from 'pino';
import type { PortalId, Store } from '../ports/store-ports';

/** The UTC day `now` falls in: HubSpot's daily pool is per day, so is the alert about it running dry. */
const startOfUtcDay = (now: number): number => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};

/**
 * Tells the admin that a portal's daily API pool ran dry (R7): its work is parked, not failing, so nothing else
 * would surface it. Every parked round and every delivery batch hits the same 429; one alert a day is raised.
 * Best effort: the work is already parked, and a failed alert must not turn parking into a retry storm.
 */
export async function raiseDailyLimitAlert(deps: { store: Pick<Store, 'alerts'>; logger: Logger }, portalId: PortalId, now: number): Promise<void> {
  // The message names no time: the same alert text lets raiseForPortal recognise today's alert on every later round.
  const message = `HubSpot's daily API limit for portal ${portalId} is used up: reads and writes are parked and resume by themselves once HubSpot resets it (midnight in the account's time zone; checked hourly)`;
  try {
    await deps.store.alerts.raiseForPortal(portalId, { kind: 'daily_limit', message }, now, startOfUtcDay(now));
  } catch (error) {
    deps.logger.error({ portalId, err: error }, 'could not store the daily-limit alert');
  }
}
