import type { Kysely, Migration } from 'kysely';

/**
 * Issue 13 (reports at 10,000,000 ledger rows): every report statement reads an index range of an aggregate table
 * and then, for each entry, the row itself for its count (`moves`, `stays`, `total_ms`, `delta`): on SQLite a second
 * b-tree search by rowid per entry, on PostgreSQL a heap fetch per entry. Measured on B7's 2,000,000-contact SQLite
 * database, the 30-day report's reads took 6.0 (moves), 12.0 (coarse durations) and 10.3 ms (fine durations); with the
 * counts in the index they are index-only reads: 2.5, 3.4 and 3.8 ms. Each index is the read's key followed by the
 * counts, so both dialects read them alone (PostgreSQL: an index-only scan where the visibility map allows, as
 * autovacuum keeps it). The keys stay unique by the tables' primary keys; these are read paths only.
 *
 * Cost: each aggregate upsert also updates its covering index (the aggregates are a few hundred rows per ledger
 * commit), and the tables' size on disk about doubles (B7: ~110 MB more on SQLite). Building them reads each table
 * once (B7: ~30 s on SQLite). The (stage, bucket, day) indexes of 0015 are prefixes of two of them and go.
 */
export function reportCoveringIndexes(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      for (const [name, table, columns] of COVERING_INDEXES) await db.schema.createIndex(name).on(table).columns(columns).execute();
      // 0015's (stage, bucket, day) indexes are prefixes of the two duration indexes above: one index to update, not two.
      await db.schema.dropIndex('ledger_stay_durations_by_bucket').execute();
      await db.schema.dropIndex('ledger_duration_spans_by_bucket').execute();
    },
  };
}

/** Name, table, columns: the columns each report statement seeks by, then what it sums. */
const COVERING_INDEXES: ReadonlyArray<readonly [string, string, string[]]> = [
  ['ledger_move_days_read', 'ledger_move_days', ['portal_id', 'object_type', 'day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped', 'moves']],
  ['ledger_move_spans_read', 'ledger_move_spans', ['portal_id', 'object_type', 'span', 'day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped', 'moves']],
  ['ledger_stay_entries_read', 'ledger_stay_entries', ['portal_id', 'object_type', 'span', 'entered_day', 'stage', 'exit_to', 'exit_skip', 'stays']],
  ['ledger_duration_coarse_read', 'ledger_duration_coarse', ['portal_id', 'object_type', 'span', 'exited_day', 'stage', 'coarse', 'stays', 'total_ms']],
  ['ledger_stay_durations_read', 'ledger_stay_durations', ['portal_id', 'object_type', 'stage', 'bucket', 'exited_day', 'stays', 'total_ms']],
  ['ledger_duration_spans_read', 'ledger_duration_spans', ['portal_id', 'object_type', 'span', 'stage', 'bucket', 'exited_day', 'stays', 'total_ms']],
  ['ledger_stock_days_read', 'ledger_stock_days', ['portal_id', 'object_type', 'day', 'stage', 'delta']],
];
