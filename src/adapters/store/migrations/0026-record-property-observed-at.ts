import type { Kysely, Migration } from 'kysely';

/**
 * record_properties.observed_at: when the pipeline first observed the value (the read time of the decision that
 * stored it), kept for every value written from now on; `set_at` stays HubSpot's own date (null where HubSpot gives
 * none: a company fact merged onto the contact, a property no webhook announced, any value read without history).
 * The replay dates a value by set_at, else observed_at, as the decision that first acted on it did (docs/reports.md).
 * Rows written before have observed_at null: the replay dates those as it always did. A value that does not change
 * keeps its observed_at.
 */
export function recordPropertyObservedAt(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('record_properties').addColumn('observed_at', 'bigint').execute();
    },
  };
}
