import type { Generated, Selectable } from 'kysely';

/**
 * The tables as Kysely sees them. Times are epoch milliseconds (BIGINT); JSON is stored as TEXT in both dialects
 * so a row reads back identically from SQLite and PostgreSQL. Every key and index leads with portal_id.
 */
export interface Database {
  inbox_events: InboxEventsTable;
  lifecycle_states: LifecycleStatesTable;
  fact_events: FactEventsTable;
  record_properties: RecordPropertiesTable;
  ledger: LedgerTable;
  outbox: OutboxTable;
  marketing_pauses: MarketingPausesTable;
  alerts: AlertsTable;
  dead_letters: DeadLettersTable;
  cursors: CursorsTable;
  record_associations: RecordAssociationsTable;
  association_refreshes: AssociationRefreshesTable;
  workflow_action_executions: WorkflowActionExecutionsTable;
  blocked_action_executions: BlockedActionExecutionsTable;
  rate_budgets: RateBudgetsTable;
  rate_budget_requests: RateBudgetRequestsTable;
  installations: InstallationsTable;
  oauth_install_states: OAuthInstallStatesTable;
  privacy_tombstones: PrivacyTombstonesTable;
  provisioned_assets: ProvisionedAssetsTable;
  ledger_move_days: LedgerMoveDaysTable;
  ledger_stay_days: LedgerStayDaysTable;
  ledger_stay_durations: LedgerStayDurationsTable;
  model_revisions: ModelRevisionsTable;
  ledger_move_totals: LedgerMoveTotalsTable;
  ledger_move_spans: LedgerMoveSpansTable;
  ledger_stay_entries: LedgerStayEntriesTable;
  ledger_duration_spans: LedgerDurationSpansTable;
  ledger_duration_coarse: LedgerDurationCoarseTable;
  ledger_stock_days: LedgerStockDaysTable;
  preview_jobs: PreviewJobsTable;
}

export type InboxStatus = 'pending' | 'leased' | 'done' | 'dead';
/** `superseded`: a property update whose values were folded into a newer update of the same record. */
export type OutboxStatus = 'pending' | 'leased' | 'done' | 'superseded' | 'dead';

export interface InboxEventsTable {
  id: Generated<number>;
  portal_id: number;
  dedup_key: string;
  event_id: string;
  subscription_type: string;
  object_type: string;
  object_id: string;
  property_name: string | null;
  property_value: string | null;
  change_source: string | null;
  occurred_at: number;
  attempt_number: number;
  payload: string;
  received_at: number;
  status: InboxStatus;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  completed_at: number | null;
  /** When the current run of transient failures began; null while healthy (migration 0006). */
  failing_since: Generated<number | null>;
}

export interface LifecycleStatesTable {
  portal_id: number;
  object_type: string;
  object_id: string;
  /** LifecycleState as JSON; stage and entered_at are copies for queries (stock by stage). */
  state: string;
  stage: string | null;
  entered_at: number | null;
  wake_at: number | null;
  version: number;
  updated_at: number;
}

export interface FactEventsTable {
  portal_id: number;
  object_type: string;
  object_id: string;
  event_key: string;
  type: string;
  at: number;
  source_id: string | null;
  attrs: string | null;
}

/** What the model and the facts read of a record, and when it was set where known (migration 0014). */
export interface RecordPropertiesTable {
  portal_id: number;
  object_type: string;
  object_id: string;
  property: string;
  value: string | null;
  set_at: number | null;
  /** Migration 0026: when the pipeline first observed the value; null for rows written before. */
  observed_at: number | null;
}

export interface LedgerTable {
  portal_id: number;
  transition_id: string;
  object_type: string;
  object_id: string;
  from_stage: string | null;
  to_stage: string;
  kind: string;
  skipped: string;
  rule_id: string;
  reason: string;
  reason_code: string | null;
  evidence: string;
  occurred_at: number;
  source: string;
  actor: string | null;
  recorded_at: number;
  /** Index within the commit: keeps same-instant moves of one decision in the order they happened. */
  recorded_position: number;
  /** Set when a merge moved the entry from a losing record: the id it was recorded under. */
  merged_from_object_id: string | null;
  /** The model revision that decided the move (migration 0009); null before revisions, or for a model file. */
  model_revision: number | null;
}

export interface OutboxTable {
  id: Generated<number>;
  portal_id: number;
  object_type: string;
  object_id: string;
  kind: string;
  payload: string;
  step: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  /** When the current run of transient failures began; null while healthy (migration 0006). */
  failing_since: Generated<number | null>;
}

export interface MarketingPausesTable {
  portal_id: number;
  object_type: string;
  object_id: string;
  paused_until: number;
  reason: string;
  released_at: number | null;
  updated_at: number;
}

export interface AlertsTable {
  id: Generated<number>;
  portal_id: number;
  object_type: string;
  object_id: string;
  kind: string;
  message: string;
  created_at: number;
}

export interface DeadLettersTable {
  id: Generated<number>;
  portal_id: number;
  /** webhook: an event quarantined at ingestion (no inbox row; ref_id 0). */
  source: 'inbox' | 'outbox' | 'webhook';
  ref_id: number;
  object_type: string;
  object_id: string;
  reason: string;
  payload: string;
  failed_at: number;
  retried_at: number | null;
  /** Quarantined webhook events only: identifies the event across HubSpot's retries (migration 0006). */
  dedup_key: Generated<string | null>;
}

export interface CursorsTable {
  portal_id: number;
  name: string;
  value: string;
  updated_at: number;
}

/** A contact or company associated with a company or deal, as last read from HubSpot (label: its display name). */
export interface RecordAssociationsTable {
  portal_id: number;
  object_type: string;
  object_id: string;
  associated_type: string;
  associated_id: string;
  label: string;
}

export interface AssociationRefreshesTable {
  portal_id: number;
  object_type: string;
  object_id: string;
  associated_type: string;
  refreshed_at: number;
}

/** The answer given to one workflow-action execution; output_fields is JSON. */
export interface WorkflowActionExecutionsTable {
  portal_id: number;
  callback_id: string;
  action: string;
  object_type: string;
  object_id: string;
  output_fields: string;
  created_at: number;
}

/** A portal's HubSpot request budget shared by all instances; the row takers lock, and the 429 back-off. */
export interface RateBudgetsTable {
  portal_id: number;
  budget: string;
  blocked_until: number;
}

/** One request sent within a budget's current window (older rows are pruned). */
export interface RateBudgetRequestsTable {
  id: Generated<number>;
  portal_id: number;
  budget: string;
  sent_at: number;
}

/** An OAuth install of the app in one HubSpot account; tokens are sealed (never plaintext) and null once revoked. */
export interface InstallationsTable {
  portal_id: number;
  status: 'active' | 'revoked' | 'uninstalled';
  status_reason: string | null;
  hub_domain: string | null;
  /** JSON array of granted scopes. */
  scopes: string;
  access_token_sealed: string | null;
  access_token_issued_at: number | null;
  access_token_expires_at: number | null;
  refresh_token_sealed: string | null;
  encryption_key_id: string | null;
  installed_at: number;
  updated_at: number;
  uninstalled_at: number | null;
}

/** The single-use `state` of an install flow in progress (CSRF protection). */
export interface OAuthInstallStatesTable {
  state_id: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export type InboxEventRow = Selectable<InboxEventsTable>;
export type OutboxRow = Selectable<OutboxTable>;

/** A record erased by a privacy deletion: keys only, so later events for it can be dropped (migration 0005). */
export interface PrivacyTombstonesTable {
  portal_id: number;
  object_type: string;
  object_id: string;
  deleted_at: number;
}

/** A HubSpot list or workflow the app created, by our key (migration 0007). */
export interface ProvisionedAssetsTable {
  portal_id: number;
  kind: string;
  asset_key: string;
  hubspot_id: string;
  revision: string;
  name: string;
  fingerprint: string;
  updated_at: number;
}

/** Ledger aggregates (migration 0008): counts per UTC day number; see 0008-ledger-aggregates.ts. */
export interface LedgerMoveDaysTable {
  portal_id: number;
  object_type: string;
  day: number;
  from_stage: string;
  to_stage: string;
  kind: string;
  reason_code: string;
  skipped: string;
  moves: number;
}

export interface LedgerStayDaysTable {
  portal_id: number;
  object_type: string;
  entered_day: number;
  stage: string;
  exited_day: number;
  exit_to: string;
  /** 1 when the exit was a skip (a Fastpass), else 0. */
  exit_skip: number;
  stays: number;
}

export interface LedgerStayDurationsTable {
  portal_id: number;
  object_type: string;
  exited_day: number;
  stage: string;
  bucket: number;
  stays: number;
  total_ms: number;
}

/** Per-portal model revisions (migration 0009); see 0009-model-revisions.ts. */
/** The settings page's Preview as a background job (migration 0022). */
export interface PreviewJobsTable {
  id: Generated<number>;
  portal_id: number;
  /** running · done · failed · superseded */
  status: string;
  draft_revision: number;
  draft_saved_at: number;
  published_revision: number | null;
  period_start: number;
  period_end: number;
  contacts_done: number;
  contacts_total: number;
  /** The comparison (PreviewAnswer) as JSON, once done. */
  result: string | null;
  error: string | null;
  started_by: string | null;
  started_at: number;
  heartbeat_at: number;
  finished_at: number | null;
}

export interface ModelRevisionsTable {
  portal_id: number;
  revision: number;
  status: string;
  /** The model document as JSON. */
  document: string;
  note: string;
  author: string | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  published_by: string | null;
}

/** Ledger aggregate rollups (migration 0011): see 0011-ledger-aggregate-rollups.ts. */
export interface LedgerMoveTotalsTable {
  portal_id: number;
  object_type: string;
  from_stage: string;
  to_stage: string;
  skipped: string;
  moves: number;
}

/** ledger_move_days summed per block of `span` days, stored under the block's first day. */
export interface LedgerMoveSpansTable extends LedgerMoveDaysTable {
  span: number;
}

/** Ended stays by the day (span 1) or block they began in, whenever they ended. */
export interface LedgerStayEntriesTable {
  portal_id: number;
  object_type: string;
  span: number;
  entered_day: number;
  stage: string;
  exit_to: string;
  exit_skip: number;
  stays: number;
}

/** ledger_stay_durations summed per block of `span` days of the exit. */
export interface LedgerDurationSpansTable extends LedgerStayDurationsTable {
  span: number;
}

/** ledger_stay_durations (span 1) and ledger_duration_spans summed per coarse bucket (migration 0015, coarseBucket). */
export interface LedgerDurationCoarseTable {
  portal_id: number;
  object_type: string;
  span: number;
  exited_day: number;
  stage: string;
  coarse: number;
  stays: number;
  total_ms: number;
}

/** Per day, a stage's moves in minus moves out; stage '' (OUTSIDE): minus the records that entered (migration 0015). */
export interface LedgerStockDaysTable {
  portal_id: number;
  object_type: string;
  day: number;
  stage: string;
  delta: number;
}

/** A BLOCKed workflow action worked off by the worker (migration 0013). JSON in payload, contact_ids, first_outputs, refusals. */
export interface BlockedActionExecutionsTable {
  portal_id: number;
  callback_id: string;
  action: string;
  payload: string;
  contact_ids: string;
  next_index: number;
  first_outputs: string | null;
  refusals: string;
  status: 'working' | 'done';
  created_at: number;
  updated_at: number;
}
