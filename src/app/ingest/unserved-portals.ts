import type { PortalId } from '../ports/store-ports';

export interface UnservedPortal {
  portalId: PortalId;
  events: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

const HOUR = 60 * 60 * 1000;

/**
 * Events for a portal this backend does not serve (not installed, a wrong HUBSPOT_PORTAL_ID, a secret shared with
 * another deployment) are acknowledged and dropped; this keeps them visible: counted per portal, and worth one log
 * line per portal per hour — enough to notice, never a flood. Memory: one entry per distinct portal seen.
 */
export class UnservedPortals {
  private readonly seen = new Map<PortalId, UnservedPortal & { loggedAt: number }>();

  /** Counts one event; true when it should be logged (the first for this portal in an hour). */
  record(portalId: PortalId, now: number): boolean {
    const entry = this.seen.get(portalId);
    if (!entry) {
      this.seen.set(portalId, { portalId, events: 1, firstSeenAt: now, lastSeenAt: now, loggedAt: now });
      return true;
    }
    entry.events++;
    entry.lastSeenAt = now;
    if (now - entry.loggedAt < HOUR) return false;
    entry.loggedAt = now;
    return true;
  }

  list(): UnservedPortal[] {
    return [...this.seen.values()].map(({ portalId, events, firstSeenAt, lastSeenAt }) => ({ portalId, events, firstSeenAt, lastSeenAt }));
  }
}
