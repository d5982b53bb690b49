import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 12 (reliability.md R20, R22, R29):
 * - dead_letters.dedup_key: a webhook event quarantined at ingestion (unusable content) is stored once, however often
 *   HubSpot retries the delivery that carried it; NULL for inbox/outbox dead letters (NULLs never collide);
 * - failing_since on inbox_events and outbox: when the current run of transient failures began, so a retry budget
 *   is measured in time (≥ 72 h), not in attempts, and a portal failing > 15 min can be told;
 * - partial indexes over finished rows, so retention prunes them in small batches without scanning open work.
 */
export function quarantineFailuresRetention(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('dead_letters').addColumn('dedup_key', 'text').execute();
      await db.schema.createIndex('dead_letters_dedup_idx').on('dead_letters').columns(['portal_id', 'dedup_key']).unique().execute();
      await db.schema.alterTable('inbox_events').addColumn('failing_since', 'bigint').execute();
      await db.schema.alterTable('outbox').addColumn('failing_since', 'bigint').execute();
      await db.schema
        .createIndex('inbox_events_finished_idx')
        .on('inbox_events')
        .columns(['portal_id', 'completed_at'])
        .where(sql<boolean>`status = 'done'`)
        .execute();
      await db.schema
        .createIndex('outbox_finished_idx')
        .on('outbox')
        .columns(['portal_id', 'updated_at'])
        .where(sql<boolean>`status in ('done', 'superseded')`)
        .execute();
    },
  };
}
