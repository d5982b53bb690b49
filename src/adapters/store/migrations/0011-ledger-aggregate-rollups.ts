import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Rollups of the ledger aggregates (0008), so a report reads a bounded number of rows whatever the period and the
 * portal's history (see ledger-aggregate-repository.ts):
 * - ledger_move_totals: every move of all time by (from, to, skipped stages); the balances before a period are these
 *   totals minus the moves since, so they no longer sum every day since the portal's first row;
 * - ledger_move_spans, ledger_duration_spans: ledger_move_days and ledger_stay_durations per aligned block of 16 and
 *   of 256 days (ROLLUP_SPANS);
 * - ledger_stay_entries: ended stays by the day (span 1) or block they began in, whenever they ended; a period's
 *   cohort is its entries minus the stays that ended after the period (read from ledger_stay_days by exit day).
 * Filled here from the 0008 tables (not from the ledger): a grouped copy.
 */
export function ledgerAggregateRollups(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('ledger_move_totals')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('from_stage', 'text', (col) => col.notNull())
        .addColumn('to_stage', 'text', (col) => col.notNull())
        .addColumn('skipped', 'text', (col) => col.notNull())
        .addColumn('moves', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_move_totals_pk', ['portal_id', 'object_type', 'from_stage', 'to_stage', 'skipped'])
        .execute();
      await db.schema
        .createTable('ledger_move_spans')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('span', 'integer', (col) => col.notNull())
        .addColumn('day', 'integer', (col) => col.notNull())
        .addColumn('from_stage', 'text', (col) => col.notNull())
        .addColumn('to_stage', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('reason_code', 'text', (col) => col.notNull())
        .addColumn('skipped', 'text', (col) => col.notNull())
        .addColumn('moves', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_move_spans_pk', ['portal_id', 'object_type', 'span', 'day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped'])
        .execute();
      await db.schema
        .createTable('ledger_stay_entries')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('span', 'integer', (col) => col.notNull())
        .addColumn('entered_day', 'integer', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('exit_to', 'text', (col) => col.notNull())
        .addColumn('exit_skip', 'integer', (col) => col.notNull())
        .addColumn('stays', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_stay_entries_pk', ['portal_id', 'object_type', 'span', 'entered_day', 'stage', 'exit_to', 'exit_skip'])
        .execute();
      await db.schema
        .createTable('ledger_duration_spans')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('span', 'integer', (col) => col.notNull())
        .addColumn('exited_day', 'integer', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('bucket', 'integer', (col) => col.notNull())
        .addColumn('stays', 'bigint', (col) => col.notNull())
        .addColumn('total_ms', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_duration_spans_pk', ['portal_id', 'object_type', 'span', 'exited_day', 'stage', 'bucket'])
        .execute();
      await db.schema.createIndex('ledger_stay_days_by_exit').on('ledger_stay_days').columns(['portal_id', 'object_type', 'exited_day']).execute();

      await sql`insert into ledger_move_totals (portal_id, object_type, from_stage, to_stage, skipped, moves)
        select portal_id, object_type, from_stage, to_stage, skipped, sum(moves) from ledger_move_days
        group by portal_id, object_type, from_stage, to_stage, skipped`.execute(db);
      await sql`insert into ledger_stay_entries (portal_id, object_type, span, entered_day, stage, exit_to, exit_skip, stays)
        select portal_id, object_type, 1, entered_day, stage, exit_to, exit_skip, sum(stays) from ledger_stay_days
        group by portal_id, object_type, entered_day, stage, exit_to, exit_skip`.execute(db);
      // Integer division of non-negative day numbers: floor.
      for (const span of [16, 256]) {
        await sql`insert into ledger_move_spans (portal_id, object_type, span, day, from_stage, to_stage, kind, reason_code, skipped, moves)
          select portal_id, object_type, ${sql.lit(span)}, (day / ${sql.lit(span)}) * ${sql.lit(span)}, from_stage, to_stage, kind, reason_code, skipped, sum(moves) from ledger_move_days
          group by portal_id, object_type, (day / ${sql.lit(span)}) * ${sql.lit(span)}, from_stage, to_stage, kind, reason_code, skipped`.execute(db);
        await sql`insert into ledger_stay_entries (portal_id, object_type, span, entered_day, stage, exit_to, exit_skip, stays)
          select portal_id, object_type, ${sql.lit(span)}, (entered_day / ${sql.lit(span)}) * ${sql.lit(span)}, stage, exit_to, exit_skip, sum(stays) from ledger_stay_days
          group by portal_id, object_type, (entered_day / ${sql.lit(span)}) * ${sql.lit(span)}, stage, exit_to, exit_skip`.execute(db);
        await sql`insert into ledger_duration_spans (portal_id, object_type, span, exited_day, stage, bucket, stays, total_ms)
          select portal_id, object_type, ${sql.lit(span)}, (exited_day / ${sql.lit(span)}) * ${sql.lit(span)}, stage, bucket, sum(stays), sum(total_ms) from ledger_stay_durations
          group by portal_id, object_type, (exited_day / ${sql.lit(span)}) * ${sql.lit(span)}, stage, bucket`.execute(db);
      }
    },
  };
}
