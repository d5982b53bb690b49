import type { DeadLetterPort, InboxEventInput, InboxPort } from '../ports/store-ports';
import { webhookDedupKey } from './dedup-key';
import { eventObject } from './event-object';
import { UNATTRIBUTED_PORTAL, type ParsedDelivery, type UnusableEvent } from './parse-delivery';

export interface IngestResult {
  received: number;
  stored: number;
  duplicates: number;
  /** Events for portals we do not serve (not installed); acknowledged and dropped. */
  ignored: number;
  /** Events we could not use, kept in the dead letters with their raw JSON and the reason (R20). */
  quarantined: number;
}

/**
 * Stores a verified delivery in the inbox before HubSpot gets its 2xx: once acknowledged, an event is never lost.
 * Duplicates (retries, replays) are absorbed by the dedup key; unusable events are quarantined, once each, and
 * never enter the inbox.
 */
export async function ingestWebhookBatch(
  deps: {
    inbox: InboxPort;
    deadLetters: Pick<DeadLetterPort, 'quarantine'>;
    servesPortal: (portalId: number) => boolean;
    /** Told how many events of a portal were quarantined for the first time (HubSpot's retries are not counted again). */
    onQuarantined?: (portalId: number, newlyQuarantined: number) => void;
  },
  delivery: ParsedDelivery,
  receivedAt: number,
): Promise<IngestResult> {
  const byPortal = new Map<number, InboxEventInput[]>();
  const unusableByPortal = new Map<number, UnusableEvent[]>();
  let ignored = 0;
  for (const event of delivery.events) {
    if (!deps.servesPortal(event.portalId)) {
      ignored++;
      continue;
    }
    const { objectType, objectId } = eventObject(event);
    const rows = byPortal.get(event.portalId) ?? [];
    rows.push({
      dedupKey: webhookDedupKey(event),
      eventId: event.eventId,
      subscriptionType: event.subscriptionType,
      objectType,
      objectId,
      propertyName: event.propertyName ?? null,
      propertyValue: event.propertyValue ?? null,
      changeSource: event.changeSource ?? null,
      occurredAt: event.occurredAt,
      attemptNumber: event.attemptNumber,
      payload: JSON.stringify(event),
    });
    byPortal.set(event.portalId, rows);
  }
  for (const event of delivery.unusable) {
    if (event.portalId !== UNATTRIBUTED_PORTAL && !deps.servesPortal(event.portalId)) {
      ignored++;
      continue;
    }
    unusableByPortal.set(event.portalId, [...(unusableByPortal.get(event.portalId) ?? []), event]);
  }
  // The quarantine is written first and is idempotent: if the inbox insert fails, HubSpot's retry finds it done.
  let quarantined = 0;
  for (const [portalId, events] of unusableByPortal) {
    quarantined += events.length;
    const added = await deps.deadLetters.quarantine(
      portalId,
      events.map(({ portalId: _portal, ...event }) => event),
      receivedAt,
    );
    if (added > 0) deps.onQuarantined?.(portalId, added);
  }
  let stored = 0;
  // HubSpot batches per installing account, so this is one transaction per delivery in practice.
  for (const [portalId, rows] of byPortal) stored += await deps.inbox.insertMany(portalId, rows, receivedAt);
  const accepted = delivery.events.length + delivery.unusable.length - ignored - quarantined;
  return { received: delivery.events.length + delivery.unusable.length, stored, duplicates: accepted - stored, ignored, quarantined };
}
