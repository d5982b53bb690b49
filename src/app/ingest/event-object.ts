import type { ObjectType } from '../../core';
import type { WebhookEvent } from './webhook-event-schema';

const BY_TYPE_ID: Record<string, ObjectType> = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal' };
const BY_PREFIX: Record<string, ObjectType> = { contact: 'contact', company: 'company', deal: 'deal' };

/** Which record an event is about: generic `object.*` events carry objectTypeId, legacy ones a type prefix. */
export function eventObject(event: WebhookEvent): { objectType: ObjectType | 'unknown'; objectId: string } {
  const typeId = event.objectTypeId ?? event.fromObjectTypeId;
  const prefix = event.subscriptionType.split('.')[0] ?? '';
  const objectType = (typeId ? BY_TYPE_ID[typeId] : undefined) ?? BY_PREFIX[prefix] ?? 'unknown';
  const objectId = event.objectId ?? event.fromObjectId ?? event.primaryObjectId ?? '';
  return { objectType, objectId };
}

export const objectTypeId = (type: ObjectType): string => Object.entries(BY_TYPE_ID).find(([, t]) => t === type)![0];
