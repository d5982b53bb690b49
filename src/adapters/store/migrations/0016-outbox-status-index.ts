import type { Kysely, Migration } from 'kysely';

/**
 * Issue 15 (backfill at 1,000,000 contacts): the outbox's open work by (portal_id, status). The outbox keeps every
 * finished item (done, superseded) until retention deletes it, and a backfill writes back one item per contact, so
 * a portal's outbox holds about as many rows as it has contacts. Without this index SQLite answered the pending count
 * (asked before every write-back batch) and the lease updates of a claim (`portal_id = ? and id in (…)`) from
 * outbox_record_idx's portal prefix, i.e. by reading every row the portal ever queued: measured at 20,000 contacts,
 * 20 ms per claim and growing with the history. The open-work partial index (0001) cannot serve them: its condition
 * is a literal and the queries bind their statuses as parameters. With this index they read the open rows only.
 */
export function outboxStatusIndex(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('outbox_status_idx').on('outbox').columns(['portal_id', 'status']).execute();
    },
  };
}
