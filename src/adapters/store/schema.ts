import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * The tables as Kysely sees them. Times are epoch milliseconds (BIGINT); JSON is stored as TEXT in both dialects
 * so a row reads back identically from SQLite and PostgreSQL. Every key and index leads with portal_id.
 */
export interface Database {
  inbox_events: InboxEventsTable;
  lifecycle_states: LifecycleStatesTable;
  fact_events: FactEventsTable;
  ledger: LedgerTable;
  outbox: OutboxTable;
  marketing_pauses: MarketingPausesTable;
  alerts: AlertsTable;
  dead_letters: DeadLettersTable;
  cursors: CursorsTable;
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
  source: 'inbox' | 'outbox';
  ref_id: number;
  object_type: string;
  object_id: string;
  reason: string;
  payload: string;
  failed_at: number;
  retried_at: number | null;
}

export interface CursorsTable {
  portal_id: number;
  name: string;
  value: string;
  updated_at: number;
}

export type InboxEventRow = Selectable<InboxEventsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type LedgerRowRecord = Selectable<LedgerTable>;
export type NewLedgerRow = Insertable<LedgerTable>;
