import type { Logger } from 'pino';
import type { PortalId, Store } from '../ports/store-ports';

/** A portal whose HubSpot calls have failed transiently for longer than this is reported (issue 12). */
export const PORTAL_FAILING_ALERT_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Tells the admin that HubSpot has been failing for a portal for more than 15 minutes. The work is not lost (it is
 * retried for 72 h, then parked and probed hourly), so nothing else would surface an outage. One alert a day at most;
 * best effort, like the daily-limit alert. `failingSince` is the start of the oldest failure run of the portal's work.
 */
export async function raisePortalFailingAlert(deps: { store: Pick<Store, 'alerts'>; logger: Logger }, portalId: PortalId, failingSince: number, now: number): Promise<void> {
  if (now - failingSince < PORTAL_FAILING_ALERT_MS) return;
  const message = `HubSpot has been failing for portal ${portalId} for more than 15 minutes (errors, timeouts or refused connections): its work is kept and retried, and resumes by itself when HubSpot answers again`;
  try {
    if (await deps.store.alerts.raiseForPortal(portalId, { kind: 'hubspot_unavailable', message }, now, now - DAY_MS)) {
      deps.logger.error({ portalId, failingForMs: now - failingSince }, 'HubSpot failing for this portal for more than 15 minutes');
    }
  } catch (error) {
    deps.logger.error({ portalId, err: error }, 'could not store the HubSpot-unavailable alert');
  }
}
