import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 16 (the demo got 7x slower with companies): the inbox claim reads open events of every portal in id order,
 * and no index served that (inbox_events_open_idx starts with portal_id), so SQLite scanned every event ever received
 * on each claim, done ones included: a cost that grew with history. A partial index over the open events, in id
 * order, keeps the claim's read to the open events it takes.
 */
export function claimIndexes(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex('inbox_events_claim_idx')
        .on('inbox_events')
        .column('id')
        .where(sql<boolean>`status in ('pending', 'leased')`)
        .execute();
    },
  };
}
