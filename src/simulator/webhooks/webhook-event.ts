import type { CrmChange } from '../domain/crm-change';
import { OBJECT_TYPE_IDS, singularName } from '../domain/object-types';
import type { Subscription } from './subscriptions';

/**
 * The JSON HubSpot POSTs per event (docs/hubspot-platform.md §3.3). Ids are numbers, `propertyValue` a string.
 * Extra fields on merge/association events follow public captures and are UNVERIFIED in detail.
 */
export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  changeSource: string;
  sourceId?: string;
  changeFlag?: string;
  isSensitive?: boolean;
  [extra: string]: unknown;
}

export function buildEvent(change: CrmChange, subscription: Subscription, ids: { eventId: number; portalId: number; appId: number }): WebhookEvent {
  const event: WebhookEvent = {
    eventId: ids.eventId,
    subscriptionId: subscription.subscriptionId,
    portalId: ids.portalId,
    appId: ids.appId,
    occurredAt: change.occurredAt,
    subscriptionType: subscription.subscriptionType,
    attemptNumber: 0,
    objectId: Number(change.objectId),
    ...(subscription.legacy ? {} : { objectTypeId: OBJECT_TYPE_IDS[change.objectType] }),
    changeSource: change.changeSource,
  };
  switch (change.kind) {
    case 'propertyChange':
      return { ...event, propertyName: change.propertyName, propertyValue: change.propertyValue, isSensitive: false, ...(change.sourceId ? { sourceId: change.sourceId } : {}) };
    case 'creation':
      return { ...event, changeFlag: 'NEW', ...(change.sourceId ? { sourceId: change.sourceId } : {}) };
    case 'deletion':
      return { ...event, changeFlag: 'DELETED' };
    case 'privacyDeletion':
      return { ...event, changeFlag: 'PRIVACY_DELETED' };
    case 'merge':
      return { ...event, primaryObjectId: Number(change.objectId), mergedObjectIds: change.mergedObjectIds.map(Number), newObjectId: Number(change.objectId), changeFlag: 'MERGED' };
    case 'associationChange':
      return {
        ...event,
        associationType: `${singularName(change.objectType)}_TO_${singularName(change.toObjectType)}`.toUpperCase(),
        associationTypeId: change.associationTypeId,
        fromObjectId: Number(change.objectId),
        toObjectId: Number(change.toObjectId),
        associationRemoved: change.associationRemoved,
        isPrimaryAssociation: [1, 2, 5, 6].includes(change.associationTypeId),
      };
  }
}
