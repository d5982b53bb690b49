import type { ModelRevisionPort } from './model-revision-port';
import type { PreviewJobPort } from './preview-job-port';
import type { ProvisionedAssetPort } from './provisioned-asset-port';
import type { FactEvent, LedgerEntry, LifecycleState, ObjectType, RecordKey } from '../../core';
import type { AggregateWindow, FunnelAggregates, LedgerRow, StockAggregates } from '../../core/ledger';
import type { SharedRateBudgetPort } from './rate-budget';

/**
 * What the use cases need from storage. One implementation (src/adapters/store) serves SQLite and PostgreSQL
 * through one query layer; every method takes the portal first, and no method reads across portals.
 */

export type PortalId = number;

export type { RecordKey };

/** A received HubSpot webhook event, stored before we acknowledge the delivery. */
export interface InboxEventInput {
  /** Composite dedup key (HubSpot's eventId alone is not unique); see app/ingest/dedup-key.ts. */
  dedupKey: string;
  eventId: string;
  subscriptionType: string;
  objectType: ObjectType | 'unknown';
  objectId: string;
  propertyName: string | null;
  propertyValue: string | null;
  changeSource: string | null;
  occurredAt: number;
  attemptNumber: number;
  /** The event as HubSpot sent it (JSON), for merges, association changes and audits. */
  payload: string;
}

export interface InboxEvent extends InboxEventInput {
  portalId: PortalId;
  id: number;
  receivedAt: number;
  /** This event's own attempts (each claim counts one): one record's failures never count against another's. */
  attempts: number;
  /** When the current run of transient failures began (null while healthy): the retry budget is time, not attempts. */
  failingSince: number | null;
}

export interface InboxPort {
  /** Inserts in one transaction; duplicates (same portal + dedupKey) are ignored. Returns how many were new. */
  insertMany(portalId: PortalId, events: InboxEventInput[], receivedAt: number): Promise<number>;
  /**
   * Leases every pending event of up to `limit` records (all events of a record together, so a record is processed
   * by one worker), oldest records first. A lease that expires (crashed worker) makes the events claimable again.
   */
  claim(options: { workerId: string; limit: number; leaseMs: number; now: number }): Promise<InboxEvent[]>;
  /** Marks events processed; only the lease holder may complete them. */
  complete(portalId: PortalId, ids: number[], workerId: string, now: number): Promise<void>;
  /**
   * Gives events back for a later retry with a delay. `failingSince`: a transient failure, whose run started then (an
   * event already failing keeps its earlier start); omitted for a release that is no failure (a lost version race).
   */
  release(portalId: PortalId, ids: number[], workerId: string, retryAt: number, error: string, failingSince?: number): Promise<void>;
  /** HubSpot answers again: events waiting out a transient failure are made due now. */
  resumeFailing(portalId: PortalId, now: number): Promise<void>;
  /** When the oldest run of transient failures among the portal's open events began; null when none is failing. */
  failingSince(portalId: PortalId): Promise<number | null>;
  /** Retention: deletes up to `limit` events processed before `before` (dead ones stay); returns how many. */
  pruneCompleted(portalId: PortalId, before: number, limit: number): Promise<number>;
  /** Moves events that failed too often to the dead letters. */
  deadLetter(portalId: PortalId, ids: number[], workerId: string, reason: string, now: number): Promise<void>;
  pendingCount(portalId?: PortalId): Promise<number>;
  /** When the portal's newest event arrived, and when its oldest waiting (pending or leased) event arrived; null when none. */
  receivedTimes(portalId: PortalId): Promise<{ lastReceivedAt: number | null; oldestWaitingReceivedAt: number | null }>;
}

export interface StoredState {
  state: LifecycleState;
  /** Optimistic-concurrency version; bumped on every save. */
  version: number;
  /** When a time-based rule (stall, pause end) can next fire; the scheduler re-evaluates due records. */
  wakeAt: number | null;
  updatedAt: number;
}

export interface StatePort {
  /** Keyed by `recordKeyString(key)`. */
  getMany(portalId: PortalId, keys: RecordKey[]): Promise<Map<string, StoredState>>;
  get(portalId: PortalId, key: RecordKey): Promise<StoredState | null>;
  /** Records whose wakeAt ≤ now, oldest first, with the wakeAt that made them due. */
  due(portalId: PortalId, now: number, limit: number): Promise<Array<RecordKey & { wakeAt: number }>>;
  /** Counts per stage of the current states (the card and dashboard "stock now"). */
  countByStage(portalId: PortalId, objectType: ObjectType): Promise<Map<string, number>>;
}

export interface FactEventPort {
  /**
   * The accumulated activity events of records, each with the key that deduplicates it; the map is keyed by
   * `recordKeyString(key)`.
   */
  getMany(portalId: PortalId, keys: RecordKey[]): Promise<Map<string, Array<FactEvent & { key: string }>>>;
  /**
   * The events of the records of one type whose ids lie in `range` (after `after`, up to and including `last`, in the
   * text order of LedgerPort.recordIds), each record's in time order, keyed by object id; a record without events has
   * no entry. One ordered scan of the table's key, however many records the range holds: for reads that walk a
   * portal's records in id order (the what-if replay).
   */
  inIdRange(portalId: PortalId, objectType: ObjectType, range: IdRange): Promise<Map<string, Array<FactEvent & { key: string }>>>;
}

/** Object ids after `after` (null: from the first) up to and including `last`, in text order. */
export interface IdRange {
  after: string | null;
  last: string;
}

/**
 * A property value of a record as we last read it: `value` null when HubSpot has it empty; `setAt` when the value was
 * set, where HubSpot told us (value history, a webhook's property change), else null; `observedAt` when the pipeline
 * first observed this value (the read time of the decision that stored it; kept while the value does not change), null
 * for values stored before migration 0026 (absent when writing: not known).
 */
export interface StoredPropertyValue {
  property: string;
  value: string | null;
  setAt: number | null;
  observedAt?: number | null;
}

/**
 * The properties the model's criteria and the facts read, per record (migration 0014), so a what-if replay evaluates
 * from the store alone. Written with the record's state in UnitOfWorkPort.commitEvaluations (RecordCommit.properties).
 */
export interface RecordPropertyPort {
  /** Every requested record gets an entry (empty when nothing is stored), keyed by `recordKeyString(key)`. */
  getMany(portalId: PortalId, keys: RecordKey[]): Promise<Map<string, StoredPropertyValue[]>>;
  /** The stored values of the records of one type whose ids lie in `range`, keyed by object id (a record with none has no entry); one ordered scan, as FactEventPort.inIdRange. */
  inIdRange(portalId: PortalId, objectType: ObjectType, range: IdRange): Promise<Map<string, StoredPropertyValue[]>>;
}

export interface LedgerPort {
  history(portalId: PortalId, key: RecordKey): Promise<LedgerEntry[]>;
  /**
   * The histories of many records of one type in one read per 500 ids (each in ledger order, keyed by object id;
   * a record without rows gets an empty list). Served by the (portal, type, id, time) index: cost follows the
   * records asked for, never the portal's ledger.
   */
  historiesOf(portalId: PortalId, objectType: ObjectType, objectIds: readonly string[]): Promise<Map<string, LedgerEntry[]>>;
  /** Each record's last row in ledger order, keyed by object id (none for a record without rows); one read per 500 ids. */
  lastEntries(portalId: PortalId, objectType: ObjectType, objectIds: readonly string[]): Promise<Map<string, LedgerEntry>>;
  /** Entries of a portal in time order, optionally for one object type and up to an instant (for reports). */
  entries(portalId: PortalId, options?: { objectType?: ObjectType; until?: number }): Promise<LedgerEntry[]>;
  count(portalId: PortalId): Promise<number>;
  /** Ids of the records of one type that have ledger rows, in id order after `afterId` (and up to `lastId` when given), at most `limit` (streaming). */
  recordIds(portalId: PortalId, objectType: ObjectType, afterId: string | null, limit: number, lastId?: string | null): Promise<string[]>;
  /** The slim rows reports read of each of these records, each record's in ledger order (bounded by the keys). */
  histories(portalId: PortalId, keys: readonly RecordKey[]): Promise<LedgerRow[][]>;
  /** Portals with ledger rows: admin tooling only (no use case reads across portals). */
  portals(): Promise<PortalId[]>;
  /**
   * One page of the portal's rows, newest first (occurredAt, then transitionId, both descending), strictly after the
   * keyset `after` when given; at most `limit` rows. Reads an index range, never the whole ledger (the Audit page).
   */
  recent(portalId: PortalId, query: RecentLedgerQuery): Promise<LedgerEntry[]>;
}

/** Filters and keyset of LedgerPort.recent. `stage` matches the stage a row moved INTO. */
export interface RecentLedgerQuery {
  objectType?: ObjectType;
  stage?: string;
  kind?: LedgerEntry['kind'];
  after?: { occurredAt: number; transitionId: string };
  limit: number;
}

/** A pending HubSpot write. Property writes of one record coalesce: the latest values win. */
export type OutboxPayload =
  | {
      kind: 'update_properties';
      properties: Record<string, string>;
      /** A backward native-stage move: write "" first, then the value (two persisted steps). */
      nativeStage: { property: string; value: string; clearFirst: boolean } | null;
    }
  | {
      kind: 'create_task';
      /** Stable key so a re-run never creates the same task twice. */
      taskKey: string;
      ownerId: string | null;
      subject: string;
      body: string;
      priority: 'HIGH' | 'MEDIUM' | 'LOW';
      dueAt: number;
    };

export type OutboxStep = 'clear' | 'set' | null;

export interface OutboxItem {
  id: number;
  portalId: PortalId;
  objectType: ObjectType;
  objectId: string;
  payload: OutboxPayload;
  /** For a backward native move: which step is next. */
  step: OutboxStep;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  /** When the current run of transient failures began (null while healthy). */
  failingSince: number | null;
}

export interface OutboxPort {
  /**
   * Leases deliverable items of one portal (nextAttemptAt ≤ now) of the given kind, at most one item per record
   * (the newest), oldest records first. Older superseded property updates of the same record are marked done.
   */
  claim(portalId: PortalId, options: { kind: OutboxPayload['kind']; workerId: string; limit: number; leaseMs: number; now: number }): Promise<OutboxItem[]>;
  /** Portals with deliverable work, for the delivery loop. */
  portalsWithWork(now: number): Promise<PortalId[]>;
  markDone(portalId: PortalId, ids: number[], now: number): Promise<void>;
  /** Persists the step of a clear-then-set move so a crash between the two writes resumes at `set`. */
  advanceStep(portalId: PortalId, id: number, step: OutboxStep, now: number): Promise<void>;
  /** `failingSince` as for InboxPort.release: set for a transient failure, omitted when the wait is no failure. */
  retryLater(portalId: PortalId, ids: number[], nextAttemptAt: number, error: string, now: number, failingSince?: number): Promise<void>;
  deadLetter(portalId: PortalId, ids: number[], reason: string, now: number): Promise<void>;
  /** HubSpot answers again: writes waiting out a transient failure are made due now. */
  resumeFailing(portalId: PortalId, now: number): Promise<void>;
  /** When the oldest run of transient failures among the portal's open writes began; null when none is failing. */
  failingSince(portalId: PortalId): Promise<number | null>;
  /** Retention: deletes up to `limit` writes delivered or superseded before `before` (dead ones stay); returns how many. */
  pruneDelivered(portalId: PortalId, before: number, limit: number): Promise<number>;
  pendingCount(portalId?: PortalId): Promise<number>;
}

export interface DeadLetter {
  id: number;
  portalId: PortalId;
  /** webhook: an event of a signed delivery we could not use, quarantined at ingestion with its raw JSON. */
  source: 'inbox' | 'outbox' | 'webhook';
  refId: number;
  objectType: string;
  objectId: string;
  reason: string;
  payload: string;
  failedAt: number;
  retriedAt: number | null;
}

export interface DeadLetterPort {
  list(portalId: PortalId | null, options?: { includeRetried?: boolean; limit?: number }): Promise<DeadLetter[]>;
  /** Puts the original inbox event or outbox item back in its queue, due now (a quarantined event has none: false). */
  retry(portalId: PortalId, id: number, now: number): Promise<boolean>;
  /** Keeps webhook events we cannot use, once each (by dedup key); returns how many were new. */
  quarantine(portalId: PortalId, events: QuarantinedEvent[], now: number): Promise<number>;
  /** Portals with dead letters, retried or not: admin tooling only (a quarantined event's portal may have no ledger rows). */
  portals(): Promise<PortalId[]>;
}

/** A webhook event of a signed delivery that could not be used: its raw JSON and why (reliability.md R20). */
export interface QuarantinedEvent {
  dedupKey: string;
  objectType: string;
  objectId: string;
  raw: string;
  reason: string;
}

export interface Alert {
  portalId: PortalId;
  objectType: ObjectType;
  objectId: string;
  kind: 'reengagement' | 'daily_limit' | 'auth' | 'unknown_stage' | 'hubspot_unavailable';
  message: string;
  createdAt: number;
}

/** An alert about a portal as a whole (a limit hit, a model that does not fit it), not about one record. */
export interface PortalAlert {
  kind: Alert['kind'];
  message: string;
  createdAt: number;
}

export interface AlertPort {
  /**
   * Raises a portal-level alert unless one of the same kind and message was raised at or after `onceSince`: a
   * condition that every round (or every restart) notices must reach the admin once per period, not once per round.
   * Returns whether it was raised.
   */
  raiseForPortal(portalId: PortalId, alert: Pick<Alert, 'kind' | 'message'>, now: number, onceSince: number): Promise<boolean>;
  /** The portal-level alerts, oldest first. */
  forPortal(portalId: PortalId): Promise<PortalAlert[]>;
  /** The newest `limit` portal-level alerts of one kind, newest first (the Sync health page). */
  recentForPortal(portalId: PortalId, kind: Alert['kind'], limit: number): Promise<PortalAlert[]>;
}

/** Everything one evaluated record changes, committed atomically by the worker. */
export interface RecordCommit {
  key: RecordKey;
  /** The version read before evaluating; the commit fails (and is retried) if someone else saved meanwhile. */
  expectedVersion: number | null;
  state: LifecycleState;
  wakeAt: number | null;
  newFactEvents: Array<FactEvent & { key: string }>;
  /**
   * Property values read for this evaluation that differ from the stored ones (absent: none). A stored value that is
   * unchanged keeps its known date when this read does not know one, and when it was first observed.
   */
  properties?: StoredPropertyValue[];
  ledger: LedgerEntry[];
  outbox: OutboxPayload[];
  pause: { until: number; reason: string } | 'release' | null;
  alerts: Array<Omit<Alert, 'portalId' | 'objectType' | 'objectId' | 'createdAt'>>;
}

export interface UnitOfWorkPort {
  /**
   * Commits all records' changes and completes the inbox events in ONE transaction: ledger rows are inserted
   * with ON CONFLICT DO NOTHING on (portal, transitionId), so a re-run after a crash adds nothing twice.
   * Returns the keys whose expectedVersion no longer matched (not committed; the caller re-evaluates them).
   */
  commitEvaluations(portalId: PortalId, commits: RecordCommit[], completeInboxIds: number[], workerId: string, now: number): Promise<{ conflicts: RecordKey[] }>;
}

export interface Cursor {
  name: string;
  value: string;
  updatedAt: number;
}

export interface CursorPort {
  get(portalId: PortalId, name: string): Promise<Cursor | null>;
  set(portalId: PortalId, name: string, value: string, now: number): Promise<void>;
}

/** A record associated with a company or a deal, with the name HubSpot shows for it. */
export interface AssociatedRecord extends RecordKey {
  label: string;
}

/**
 * Which contacts and companies belong to a company or a deal, as last read from HubSpot. The cards read it instead of
 * calling HubSpot while the user waits; a refresher keeps it current.
 */
export interface AssociationPort {
  /** Replaces what is associated with `key` of one type, and records that it was read at `now`. */
  replace(portalId: PortalId, key: RecordKey, associatedType: ObjectType, associated: Array<{ objectId: string; label: string }>, now: number): Promise<void>;
  /** Everything stored for `key`, and when each associated type was last read (absent: never). */
  list(portalId: PortalId, key: RecordKey): Promise<{ associated: AssociatedRecord[]; refreshedAt: Partial<Record<ObjectType, number>> }>;
}

/** The answer given to one workflow-action execution. */
export interface WorkflowExecutionRecord {
  callbackId: string;
  action: string;
  /** The enrolled record as HubSpot named it (a contact, company or deal). */
  key: { objectType: string; objectId: string };
  outputFields: Record<string, string>;
  createdAt: number;
}

export interface WorkflowExecutionPort {
  get(portalId: PortalId, callbackId: string): Promise<WorkflowExecutionRecord | null>;
  /** Stores the answer unless one is already stored for the callbackId; returns the stored one (first wins). */
  saveOnce(portalId: PortalId, execution: WorkflowExecutionRecord): Promise<WorkflowExecutionRecord>;
}

/** A workflow action answered BLOCK, being worked off contact by contact (see app/actions/blocked-actions.ts). */
export interface BlockedActionExecution {
  callbackId: string;
  action: string;
  /** The execution request as HubSpot sent it (JSON), so the worker plans exactly what HubSpot asked. */
  payload: string;
  contactIds: string[];
  /** Contacts before this index are decided. */
  nextIndex: number;
  /** The outputs of the first contact the action applied to (null while none has). */
  firstOutputs: Record<string, string> | null;
  refusals: string[];
  createdAt: number;
}

export interface BlockedActionPort {
  /** Stores a new blocked execution unless its callbackId is already stored (HubSpot retried the request). */
  saveOnce(portalId: PortalId, execution: BlockedActionExecution, now: number): Promise<void>;
  /** The oldest executions not yet completed, at most `limit`. */
  open(portalId: PortalId, limit: number): Promise<BlockedActionExecution[]>;
  /** Saves how far the worker got. */
  saveProgress(portalId: PortalId, callbackId: string, progress: Pick<BlockedActionExecution, 'nextIndex' | 'firstOutputs' | 'refusals'>, now: number): Promise<void>;
  /** HubSpot was told the outcome (or the execution is gone there): nothing more to do. */
  markDone(portalId: PortalId, callbackId: string, now: number): Promise<void>;
}

/** An OAuth install's tokens as stored: every token SEALED (see app/oauth/oauth-ports.ts TokenCipher), never plaintext. */
export interface SealedTokens {
  accessTokenSealed: string;
  accessTokenIssuedAt: number;
  accessTokenExpiresAt: number;
  refreshTokenSealed: string;
  /** The encryption key the tokens were sealed with (rotation finds rows still on an old key). */
  encryptionKeyId: string;
}

/** active: tokens held, portal served. revoked: HubSpot refused our refresh token. uninstalled: we were told to stop. */
export type InstallationStatus = 'active' | 'revoked' | 'uninstalled';

export interface Installation {
  portalId: PortalId;
  status: InstallationStatus;
  statusReason: string | null;
  hubDomain: string | null;
  scopes: string[];
  /** Null once the install is revoked or uninstalled: tokens are deleted, not kept. */
  tokens: SealedTokens | null;
  installedAt: number;
  updatedAt: number;
  uninstalledAt: number | null;
}

export interface InstallationPort {
  get(portalId: PortalId): Promise<Installation | null>;
  /** An install or a re-install: the row becomes active with these tokens and scopes. */
  saveInstalled(portalId: PortalId, install: { hubDomain: string | null; scopes: string[]; tokens: SealedTokens }, now: number): Promise<void>;
  /** Stores a refreshed access token; false (nothing stored) when the install is no longer active. */
  saveRefreshedTokens(portalId: PortalId, tokens: SealedTokens, now: number): Promise<boolean>;
  /** HubSpot refused the refresh token: deletes the tokens, marks the install revoked and raises an `auth` alert, atomically. */
  markRevoked(portalId: PortalId, reason: string, now: number): Promise<void>;
  /** Deletes the tokens and marks the install uninstalled. */
  markUninstalled(portalId: PortalId, now: number): Promise<void>;
  /** The `auth` alerts raised for this install, newest first (a revoked install tells the admin to reinstall). */
  authAlerts(portalId: PortalId): Promise<Array<{ message: string; createdAt: number }>>;
  /** Portals with an active install. Infrastructure only (the portal directory), never a use case's data path. */
  activePortals(): Promise<PortalId[]>;
}

/** Single-use `state` values of install flows in progress (CSRF protection for the OAuth callback). */
export interface OAuthStatePort {
  save(stateId: string, expiresAt: number, now: number): Promise<void>;
  /** True exactly once for a saved, unexpired state; every later or unknown use is false. */
  consume(stateId: string, now: number): Promise<boolean>;
}

/**
 * Read-side aggregates of the ledger (flow per day, ended stays, time-in-stage buckets), maintained by every ledger
 * writer in the writer's transaction. Reports read them instead of the ledger; see core/ledger/aggregates.
 */
export interface LedgerAggregatePort {
  funnelAggregates(portalId: PortalId, objectType: ObjectType, window: AggregateWindow): Promise<FunnelAggregates>;
  /** `everyDays` > 1: each delta sums the days [firstDay + k·everyDays, firstDay + (k+1)·everyDays) under the first. */
  stockAggregates(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number, everyDays?: number): Promise<StockAggregates>;
  /**
   * Both of the above for one period, read together (on PostgreSQL in one snapshot): the funnel over `window` and the stock series
   * over [window.startDay, window.endDay) with a point every `everyDays` days.
   */
  funnelAndStockAggregates(portalId: PortalId, objectType: ObjectType, window: AggregateWindow, everyDays?: number): Promise<{ funnel: FunnelAggregates; stock: StockAggregates }>;
  /**
   * The portal's rebuild of these aggregates (`rebuildAggregates`) when one is running or stopped before it finished,
   * else null. Meanwhile they hold only the records it has reached: a report's figures are partial. One indexed read.
   */
  rebuildProgress(portalId: PortalId): Promise<AggregatesRebuildProgress | null>;
}

/** How far a rebuild of a portal's aggregates got. */
export interface AggregatesRebuildProgress {
  recordsDone: number;
  /** About: the records the aggregates counted when it began (at least `recordsDone`); null when unknown. */
  recordsTotal: number | null;
}

/** A step of a rebuild done: the portal, the last record whose contribution is in, and whether this run resumed another's. */
export interface AggregatesRebuildStep extends AggregatesRebuildProgress {
  portalId: PortalId;
  after: RecordKey | null;
  resumed: boolean;
}

export interface Store {
  inbox: InboxPort;
  states: StatePort;
  factEvents: FactEventPort;
  recordProperties: RecordPropertyPort;
  ledger: LedgerPort;
  aggregates: LedgerAggregatePort;
  outbox: OutboxPort;
  deadLetters: DeadLetterPort;
  cursors: CursorPort;
  unitOfWork: UnitOfWorkPort;
  associations: AssociationPort;
  workflowExecutions: WorkflowExecutionPort;
  blockedActions: BlockedActionPort;
  installations: InstallationPort;
  oauthStates: OAuthStatePort;
  alerts: AlertPort;
  /** HubSpot request budgets shared by every process on this database (see rate-budget.ts). */
  rateBudgets: SharedRateBudgetPort;
  /** HubSpot lists and workflows the app created (provision, `lifecycle workflows`). */
  provisionedAssets: ProvisionedAssetPort;
  /** Each portal's lifecycle model as numbered revisions (settings page; migration 0009). */
  modelRevisions: ModelRevisionPort;
  /** The settings Preview run as background jobs, readable from any process (migration 0022). */
  previewJobs: PreviewJobPort;
  /** Privacy deletion: removes every row of the record (the one exception to append-only) and remembers its key. */
  purgeRecord(portalId: PortalId, key: RecordKey, now: number): Promise<void>;
  /** The records among `keys` a privacy deletion erased, as `objectType:objectId` strings. */
  erasedRecords(portalId: PortalId, keys: readonly RecordKey[]): Promise<Set<string>>;
  /** Merge: the losers' ledger, facts and state move to the winner. */
  mergeRecords(portalId: PortalId, objectType: ObjectType, winnerId: string, loserIds: string[], now: number): Promise<void>;
  /**
   * Recomputes the ledger aggregates from the ledger (repair), while workers write: a commit to a record the rebuild
   * has not reached leaves the aggregates to it (see ledger-aggregate-fence.ts). Resumable: a stopped run continues
   * where it got to, and reports say their figures are partial until it has (`aggregates.rebuildProgress`).
   * `onProgress` is told after every step (once it committed), counting from the run that began the rebuild.
   */
  rebuildAggregates(options: { portalId?: PortalId; onProgress?: (progress: AggregatesRebuildStep) => void | Promise<void>; now: () => number }): Promise<void>;
  /** Liveness of the database (for /readyz and the webhook 5xx path). */
  ping(): Promise<void>;
  close(): Promise<void>;
  dialect: 'sqlite' | 'postgres';
}
