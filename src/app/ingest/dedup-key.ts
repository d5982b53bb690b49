import { hash } from 'node:crypto';
import type { WebhookEvent } from './webhook-event-schema';

/**
 * HubSpot's eventId is "not guaranteed to be unique", so a delivery is identified by everything that makes the
 * event what it is; attemptNumber is left out because a retry is the same event (reliability.md §3).
 */
export function webhookDedupKey(event: WebhookEvent): string {
  const parts = [
    event.appId ?? '',
    event.portalId,
    event.subscriptionId,
    event.eventId,
    event.objectId ?? event.fromObjectId ?? '',
    event.toObjectId ?? '',
    event.occurredAt,
    event.subscriptionType,
    event.propertyName ?? '',
    event.propertyValue ?? '',
  ];
  // One-shot hash: the same SHA-256 digest as createHash, at about a third of the cost per event (B1).
  return hash('sha256', parts.join('\u001f'), 'base64url');
}
