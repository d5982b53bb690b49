import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 14 (app pages): indexes so each page's backend call reads an index range, whatever the history.
 * - Audit (LedgerPort.recent): newest first by (occurred_at, transition_id), optionally filtered by the stage moved
 *   into or by kind; each filter gets its own index so a rare kind or stage does not scan the portal's whole ledger.
 * - Sync health (InboxPort.receivedTimes): the newest event of a portal, and the oldest of its open work.
 * - blocked_action_executions: a workflow action on a company or deal with many contacts is answered BLOCK and its
 *   contacts are decided by the worker, a few per round, resuming from `next_index`; the worker then completes the
 *   execution through HubSpot's callbacks API (status `done`).
 */
export function pageIndexesAndBlockedActions(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('ledger_recent_idx').on('ledger').columns(['portal_id', 'occurred_at', 'transition_id']).execute();
      await db.schema.createIndex('ledger_recent_stage_idx').on('ledger').columns(['portal_id', 'to_stage', 'occurred_at', 'transition_id']).execute();
      await db.schema.createIndex('ledger_recent_kind_idx').on('ledger').columns(['portal_id', 'kind', 'occurred_at', 'transition_id']).execute();
      await db.schema.createIndex('inbox_events_received_idx').on('inbox_events').columns(['portal_id', 'received_at']).execute();
      await db.schema
        .createIndex('inbox_events_open_received_idx')
        .on('inbox_events')
        .columns(['portal_id', 'received_at'])
        .where(sql<boolean>`status in ('pending', 'leased')`)
        .execute();
      await db.schema
        .createTable('blocked_action_executions')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('callback_id', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('contact_ids', 'text', (col) => col.notNull())
        .addColumn('next_index', 'integer', (col) => col.notNull())
        .addColumn('first_outputs', 'text')
        .addColumn('refusals', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('blocked_action_executions_pk', ['portal_id', 'callback_id'])
        .execute();
      await db.schema
        .createIndex('blocked_action_executions_open_idx')
        .on('blocked_action_executions')
        .columns(['portal_id', 'created_at'])
        .where(sql<boolean>`status <> 'done'`)
        .execute();
    },
  };
}
