import type { Kysely, Migration } from 'kysely';

/**
 * Issue 13 (replay from the store): per record, the values of the properties the model's criteria and the facts read,
 * and when each was set where we know it (propertiesWithHistory in the backfill, a webhook's property change, a value
 * history read). `value` null: read, and empty in HubSpot. `set_at` null: the value is known, its date is not.
 * Written in the same unit of work as the record's state; privacy deletion removes the rows, a merge moves them to the
 * winner. Records decided before this migration have no rows until they are next evaluated.
 */
export function recordProperties(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('record_properties')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('property', 'text', (col) => col.notNull())
        .addColumn('value', 'text')
        .addColumn('set_at', 'bigint')
        .addPrimaryKeyConstraint('record_properties_pk', ['portal_id', 'object_type', 'object_id', 'property'])
        .execute();
    },
  };
}
