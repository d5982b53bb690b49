import type { Kysely, Migration } from 'kysely';

/**
 * Issue 14 (the Funnel page at 10,000,000 ledger rows): a report reads the fine time-in-stage buckets of each stage's
 * median coarse bucket, a range of COARSE_BUCKET_WIDTH buckets. Keyed (stage, bucket, exited_day), that was one index
 * seek per (stage, bucket) and segment of days: ~1,150 seeks of about one row each for a 365-day period, the costliest
 * read of a PostgreSQL report. Keyed (stage, exited_day, bucket), one seek per (stage, day or block) reads the range's
 * buckets of that day in order: ~150 seeks. The counts stay in the index (as in 0023), which these two replace.
 */
export function fineDurationsByDay(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex('ledger_stay_durations_by_day')
        .on('ledger_stay_durations')
        .columns(['portal_id', 'object_type', 'stage', 'exited_day', 'bucket', 'stays', 'total_ms'])
        .execute();
      await db.schema
        .createIndex('ledger_duration_spans_by_day')
        .on('ledger_duration_spans')
        .columns(['portal_id', 'object_type', 'span', 'stage', 'exited_day', 'bucket', 'stays', 'total_ms'])
        .execute();
      await db.schema.dropIndex('ledger_stay_durations_read').execute();
      await db.schema.dropIndex('ledger_duration_spans_read').execute();
    },
  };
}
