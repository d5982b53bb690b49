import type { ObjectType } from './object-types';

/** One history entry, as `propertiesWithHistory` returns it. */
export interface ValueWithTimestamp {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
}

export interface CrmRecord {
  id: string;
  objectType: ObjectType;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  properties: Map<string, string>;
  /** Newest first, like HubSpot. */
  history: Map<string, ValueWithTimestamp[]>;
}

/** Who wrote a value: the history `sourceType` and the webhook `changeSource`. */
export interface WriteSource {
  sourceType: string;
  changeSource: string;
  sourceId?: string;
}

export const API_WRITE: WriteSource = { sourceType: 'API', changeSource: 'API' };
export const CALCULATED_WRITE: WriteSource = { sourceType: 'CALCULATED', changeSource: 'CALCULATED' };
