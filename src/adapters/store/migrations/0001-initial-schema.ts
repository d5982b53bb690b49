import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../database';
import { createTableWithSurrogateId } from './surrogate-id';

/** Queue rows still to be worked on; partial indexes over them stay small however long the history grows. */
const OPEN_WORK = sql<boolean>`status in ('pending', 'leased')`;

export function initialSchema(dialect: StoreDialect): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await createTableWithSurrogateId(db, dialect, 'inbox_events')
        .addColumn('dedup_key', 'text', (col) => col.notNull())
        .addColumn('event_id', 'text', (col) => col.notNull())
        .addColumn('subscription_type', 'text', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('property_name', 'text')
        .addColumn('property_value', 'text')
        .addColumn('change_source', 'text')
        .addColumn('occurred_at', 'bigint', (col) => col.notNull())
        .addColumn('attempt_number', 'integer', (col) => col.notNull())
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('received_at', 'bigint', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('completed_at', 'bigint')
        .addUniqueConstraint('inbox_events_dedup_unique', ['portal_id', 'dedup_key'])
        .execute();
      await db.schema.createIndex('inbox_events_open_idx').on('inbox_events').columns(['portal_id', 'next_attempt_at']).where(OPEN_WORK).execute();
      await db.schema.createIndex('inbox_events_record_idx').on('inbox_events').columns(['portal_id', 'object_type', 'object_id', 'status']).execute();

      await db.schema
        .createTable('lifecycle_states')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('stage', 'text')
        .addColumn('entered_at', 'bigint')
        .addColumn('wake_at', 'bigint')
        .addColumn('version', 'integer', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('lifecycle_states_pk', ['portal_id', 'object_type', 'object_id'])
        .execute();
      await db.schema.createIndex('lifecycle_states_wake_idx').on('lifecycle_states').columns(['portal_id', 'wake_at']).execute();
      await db.schema.createIndex('lifecycle_states_stage_idx').on('lifecycle_states').columns(['portal_id', 'object_type', 'stage']).execute();

      await db.schema
        .createTable('fact_events')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('event_key', 'text', (col) => col.notNull())
        .addColumn('type', 'text', (col) => col.notNull())
        .addColumn('at', 'bigint', (col) => col.notNull())
        .addColumn('source_id', 'text')
        .addColumn('attrs', 'text')
        .addPrimaryKeyConstraint('fact_events_pk', ['portal_id', 'object_type', 'object_id', 'event_key'])
        .execute();

      await db.schema
        .createTable('ledger')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('transition_id', 'text', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('from_stage', 'text')
        .addColumn('to_stage', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('skipped', 'text', (col) => col.notNull())
        .addColumn('rule_id', 'text', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('reason_code', 'text')
        .addColumn('evidence', 'text', (col) => col.notNull())
        .addColumn('occurred_at', 'bigint', (col) => col.notNull())
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('actor', 'text')
        .addColumn('recorded_at', 'bigint', (col) => col.notNull())
        .addColumn('recorded_position', 'integer', (col) => col.notNull())
        .addColumn('merged_from_object_id', 'text')
        .addPrimaryKeyConstraint('ledger_pk', ['portal_id', 'transition_id'])
        .execute();
      await db.schema.createIndex('ledger_record_time_idx').on('ledger').columns(['portal_id', 'object_type', 'object_id', 'occurred_at']).execute();
      await db.schema.createIndex('ledger_time_idx').on('ledger').columns(['portal_id', 'occurred_at']).execute();

      await createTableWithSurrogateId(db, dialect, 'outbox')
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('step', 'text')
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('outbox_open_idx').on('outbox').columns(['portal_id', 'kind', 'next_attempt_at']).where(OPEN_WORK).execute();
      await db.schema.createIndex('outbox_record_idx').on('outbox').columns(['portal_id', 'object_type', 'object_id', 'status']).execute();

      await db.schema
        .createTable('marketing_pauses')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('paused_until', 'bigint', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('released_at', 'bigint')
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('marketing_pauses_pk', ['portal_id', 'object_type', 'object_id'])
        .execute();

      await createTableWithSurrogateId(db, dialect, 'alerts')
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('message', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('alerts_time_idx').on('alerts').columns(['portal_id', 'created_at']).execute();
      await db.schema.createIndex('alerts_record_idx').on('alerts').columns(['portal_id', 'object_type', 'object_id']).execute();

      await createTableWithSurrogateId(db, dialect, 'dead_letters')
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('ref_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('failed_at', 'bigint', (col) => col.notNull())
        .addColumn('retried_at', 'bigint')
        .execute();
      await db.schema.createIndex('dead_letters_time_idx').on('dead_letters').columns(['portal_id', 'failed_at']).execute();
      await db.schema.createIndex('dead_letters_record_idx').on('dead_letters').columns(['portal_id', 'object_type', 'object_id']).execute();

      await db.schema
        .createTable('cursors')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('value', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('cursors_pk', ['portal_id', 'name'])
        .execute();
    },
  };
}
