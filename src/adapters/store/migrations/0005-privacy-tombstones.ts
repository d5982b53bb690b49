import type { Kysely, Migration } from 'kysely';

/**
 * privacy_tombstones: the records a privacy deletion erased (R15). All their rows are gone; this remembers only the
 * portal, object type and id — no personal data — so that events HubSpot still delivers for them afterwards
 * (retries, a late `contact.deletion`, a redelivered privacy event) are dropped instead of storing that record again.
 */
export function privacyTombstones(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('privacy_tombstones')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('deleted_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('privacy_tombstones_pk', ['portal_id', 'object_type', 'object_id'])
        .execute();
    },
  };
}
