import type { ObjectType } from '../../core';

/** A CRM record as we use it: HubSpot-shaped strings, no SDK types. */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  /** Value history per property, newest first as HubSpot returns it. */
  history: Record<string, Array<{ value: string; timestamp: number }>>;
}

export interface PropertyWrite {
  id: string;
  properties: Record<string, string>;
}

export interface TaskInput {
  subject: string;
  body: string;
  priority: 'HIGH' | 'MEDIUM' | 'LOW';
  dueAt: number;
  ownerId: string | null;
  associate: { objectType: ObjectType; objectId: string };
}

/** One CRM search condition; conditions of a group are ANDed, groups are ORed (HubSpot's filterGroups). */
export interface SearchFilter {
  propertyName: string;
  operator: 'EQ' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'HAS_PROPERTY';
  value?: string;
}

export interface SearchPageRequest {
  filterGroups: SearchFilter[][];
  /** HubSpot honours one sort; ties come back in an unspecified order. */
  sort: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' };
  properties: string[];
  /** ≤ 200. */
  limit: number;
  /** HubSpot's paging offset; `after` + `limit` may not pass 10,000 results. */
  after?: string;
}

export interface SearchPage {
  records: CrmRecord[];
  /** Matches of the whole query (not just this page). */
  total: number;
  after: string | null;
}

export type HubSpotFailureKind = 'rate_limited' | 'daily_limit' | 'server' | 'timeout' | 'network' | 'auth' | 'validation' | 'not_found';

/** A failed HubSpot call, classified once so callers decide retry vs. park vs. dead-letter without parsing bodies. */
export class HubSpotError extends Error {
  constructor(
    readonly kind: HubSpotFailureKind,
    message: string,
    readonly status: number | null,
    /** How long HubSpot asked us to wait (rolling window, Retry-After), when known. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'HubSpotError';
  }

  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network';
  }
}

/** Everything the pipeline asks of one portal's HubSpot account. Batch sizes are the callers' concern (≤ 100). */
export interface HubSpotPort {
  readonly portalId: number;
  /** Reads records; ids HubSpot does not know (deleted) are returned in `missing`. History needs ≤ 50 ids. */
  batchRead(objectType: ObjectType, ids: string[], properties: string[], propertiesWithHistory?: string[]): Promise<{ records: CrmRecord[]; missing: string[] }>;
  /** Associated ids per input id (≤ 1,000 ids per call). */
  associations(from: ObjectType, to: ObjectType, ids: string[]): Promise<Map<string, string[]>>;
  /** Per-item outcome: HubSpot validates each input; one bad value must not fail the other 99. */
  batchUpdate(objectType: ObjectType, inputs: PropertyWrite[]): Promise<{ updated: string[]; failed: Array<{ id: string; message: string }> }>;
  createTasks(inputs: TaskInput[]): Promise<string[]>;
  /**
   * Completes a BLOCKed workflow-action execution: POST /automation/v4/actions/callbacks/{callbackId}/complete with
   * `{ outputFields }` (hubspot-platform.md §4.4; 204, no body).
   */
  completeCallback(callbackId: string, outputFields: Record<string, string>): Promise<void>;
  /** One page of a CRM search. Search has its own budget (5 req/s per account), separate from the 10 s burst. */
  searchPage(objectType: ObjectType, request: SearchPageRequest): Promise<SearchPage>;
  /** The portal's options of an enumeration property, in display order (e.g. its lifecycle stages). */
  propertyOptions(objectType: ObjectType, property: string): Promise<Array<{ value: string; label: string }>>;
}
