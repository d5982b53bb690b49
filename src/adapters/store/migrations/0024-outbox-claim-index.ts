import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 15 (backfill at 1,000,000 contacts): the outbox claim reads due items in id order (`id > ?` a page at a time),
 * and no index served that order over the open items alone, so SQLite walked the table by rowid from the first item
 * the portal ever queued, past every finished one: measured 15 ms per claim with 200,000 finished items, about 75 ms
 * at 1,000,000, once per write-back batch: a CPU cost per contact that grew with the portal's size. The same partial
 * index as the inbox's (0018) over the open items, by (portal, kind, id), keeps the claim's read to the open items.
 * It holds only open items, so it stays small; building it reads the outbox once (on a database of 10,000,000
 * ledger rows the outbox holds about one finished item per contact: a few seconds, and the index itself is empty
 * of finished items).
 */
export function outboxClaimIndex(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex('outbox_claim_idx')
        .on('outbox')
        .columns(['portal_id', 'kind', 'id'])
        .where(sql<boolean>`status in ('pending', 'leased')`)
        .execute();
    },
  };
}
