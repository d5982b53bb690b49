import type { InboxEventInput, InboxPort } from '../ports/store-ports';
import { webhookDedupKey } from './dedup-key';
import { eventObject } from './event-object';
import type { WebhookEvent } from './webhook-event-schema';

export interface IngestResult {
  received: number;
  stored: number;
  duplicates: number;
  /** Events for portals we do not serve (not installed); acknowledged and dropped. */
  ignored: number;
}

/**
 * Stores a verified delivery in the inbox before HubSpot gets its 2xx: once acknowledged, an event is never lost.
 * Duplicates (retries, replays) are absorbed by the dedup key.
 */
export async function ingestWebhookBatch(
  deps: { inbox: InboxPort; servesPortal: (portalId: number) => boolean },
  events: WebhookEvent[],
  receivedAt: number,
): Promise<IngestResult> {
  const byPortal = new Map<number, InboxEventInput[]>();
  let ignored = 0;
  for (const event of events) {
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
  let stored = 0;
  // HubSpot batches per installing account, so this is one transaction per delivery in practice.
  for (const [portalId, rows] of byPortal) stored += await deps.inbox.insertMany(portalId, rows, receivedAt);
  const accepted = events.length - ignored;
  return { received: events.length, stored, duplicates: accepted - stored, ignored };
}
