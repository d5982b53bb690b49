import type { ObjectType } from './object-types';

/** What changed in a portal's CRM; the webhook dispatcher turns these into subscription events. */
export type CrmChange =
  | { kind: 'creation'; objectType: ObjectType; objectId: string; occurredAt: number; changeSource: string; sourceId?: string }
  | { kind: 'deletion'; objectType: ObjectType; objectId: string; occurredAt: number; changeSource: string; sourceId?: string }
  | { kind: 'privacyDeletion'; objectType: ObjectType; objectId: string; occurredAt: number; changeSource: string }
  | {
      kind: 'propertyChange';
      objectType: ObjectType;
      objectId: string;
      propertyName: string;
      propertyValue: string;
      occurredAt: number;
      changeSource: string;
      sourceId?: string;
    }
  | {
      kind: 'associationChange';
      objectType: ObjectType;
      objectId: string;
      toObjectType: ObjectType;
      toObjectId: string;
      associationTypeId: number;
      associationRemoved: boolean;
      occurredAt: number;
      changeSource: string;
    }
  | { kind: 'merge'; objectType: ObjectType; objectId: string; mergedObjectIds: string[]; occurredAt: number; changeSource: string };

export type ChangeListener = (change: CrmChange) => void;
