import type { InboxEventInput, PortalId, Store } from '../ports/store-ports';

export const WAKE_SUBSCRIPTION = 'scheduler.wake';

/**
 * Time-based rules (a stall at Appointment, the end of a marketing pause) fire without any HubSpot event. Records
 * whose wake time has come are put through the inbox like a webhook, so they get the same batching, leases and
 * retries; the key includes the wake time, so each wake-up is enqueued once.
 */
export async function scheduleWakeups(store: Store, portalId: PortalId, now: number, limit = 1_000): Promise<number> {
  const due = await store.states.due(portalId, now, limit);
  if (due.length === 0) return 0;
  const events: InboxEventInput[] = due.map((d) => ({
    dedupKey: `wake:${d.objectType}:${d.objectId}:${d.wakeAt}`,
    eventId: `wake-${d.wakeAt}`,
    subscriptionType: WAKE_SUBSCRIPTION,
    objectType: d.objectType,
    objectId: d.objectId,
    propertyName: null,
    propertyValue: null,
    changeSource: 'SCHEDULER',
    occurredAt: d.wakeAt,
    attemptNumber: 0,
    payload: JSON.stringify({ reason: 'wake', wakeAt: d.wakeAt }),
  }));
  return store.inbox.insertMany(portalId, events, now);
}
