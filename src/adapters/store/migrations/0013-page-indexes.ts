import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 14 (app pages): indexes so each page's backend call reads an index range, whatever the history.
 * - Audit (LedgerPort.recent): newest first by (occurred_at, transition_id), optionally filtered by the stage moved
 *   into or by kind; each filter gets its own index so a rare kind or stage does not scan the portal's whole ledger.
 * - Sync health (InboxPort.receivedTimes): the newest event of a portal, and the oldest of its open work.
 */
export function pageIndexes(): Migration {
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
    },
  };
}
