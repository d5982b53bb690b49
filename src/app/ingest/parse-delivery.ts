import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { QuarantinedEvent } from '../ports/store-ports';
import { eventObject } from './event-object';
import { WebhookEventSchema, type WebhookEvent } from './webhook-event-schema';

/** The portal a quarantined body is kept under when nothing in it names one (and several portals are served). */
export const UNATTRIBUTED_PORTAL = 0;

/** An event we cannot use, with the portal it names (or the delivery's fallback when it names none). */
export type UnusableEvent = QuarantinedEvent & { portalId: number };

export interface ParsedDelivery {
  events: WebhookEvent[];
  unusable: UnusableEvent[];
}

/** HubSpot's object ids are numeric; anything else cannot be read back from HubSpot (its batch read refuses it). */
const USABLE_OBJECT_ID = /^[1-9][0-9]{0,19}$/;

/**
 * Splits a signed delivery into the events we can use and the ones we cannot, each of the latter with its raw JSON
 * and the reason. Nothing is refused as a whole: HubSpot does not retry every 4xx (reliability.md §1), so one odd
 * event must not cost the rest of the delivery (R20). There is no cap on the number of events; the route's body-size
 * limit bounds a delivery.
 */
export function parseDelivery(rawBody: string, fallbackPortalId: number): ParsedDelivery {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    return { events: [], unusable: [unusable(rawBody, `body is not JSON: ${(error as Error).message}`, fallbackPortalId)] };
  }
  if (!Array.isArray(json)) return { events: [], unusable: [unusable(rawBody, 'body is not a JSON array of events', fallbackPortalId)] };
  const parsed: ParsedDelivery = { events: [], unusable: [] };
  for (const element of json as unknown[]) {
    const portalId = portalIdOf(element) ?? fallbackPortalId;
    const event = WebhookEventSchema.safeParse(element);
    if (!event.success) {
      parsed.unusable.push(unusable(element, z.prettifyError(event.error).replace(/\n/g, ' '), portalId));
      continue;
    }
    const { objectType, objectId } = eventObject(event.data);
    if (!USABLE_OBJECT_ID.test(objectId)) {
      const reason = objectId === '' ? 'the event names no object (no objectId)' : `the event's object id ${JSON.stringify(objectId)} is not a HubSpot id`;
      parsed.unusable.push(unusable(element, reason, portalId, objectType));
      continue;
    }
    parsed.events.push(event.data);
  }
  return parsed;
}

function portalIdOf(element: unknown): number | null {
  const value = typeof element === 'object' && element !== null ? (element as Record<string, unknown>)['portalId'] : undefined;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

function unusable(element: unknown, reason: string, portalId: number, objectType = 'unknown'): UnusableEvent {
  const raw = typeof element === 'string' ? element : JSON.stringify(element);
  const objectId = typeof element === 'object' && element !== null ? String((element as Record<string, unknown>)['objectId'] ?? '') : '';
  return { portalId, dedupKey: quarantineKey(element), objectType, objectId: objectId.slice(0, 100), raw, reason };
}

/** The same event retried by HubSpot differs only in attemptNumber: leave it out so a retry is quarantined once. */
function quarantineKey(element: unknown): string {
  const canonical =
    typeof element === 'object' && element !== null && !Array.isArray(element)
      ? JSON.stringify({ ...element, attemptNumber: undefined })
      : typeof element === 'string'
        ? element
        : JSON.stringify(element);
  return createHash('sha256').update(canonical).digest('base64url');
}
