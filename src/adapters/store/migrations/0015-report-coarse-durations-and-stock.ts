import { sql, type Kysely, type Migration } from 'kysely';
import { COARSE_BUCKET_WIDTH } from '../../../core/ledger';

/**
 * Issue 13 (report cost): the time-in-stage buckets also per coarse bucket, the fine buckets reachable by bucket, and
 * the stock's daily net change per stage.
 * - ledger_duration_coarse: ledger_stay_durations (span 1) and ledger_duration_spans (16, 256) summed per coarse
 *   bucket (COARSE_BUCKET_WIDTH fine buckets): a report finds each stage's median coarse bucket from these rows;
 * - ledger_stay_durations_by_bucket, ledger_duration_spans_by_bucket: (stage, bucket, day) indexes, so that the fine
 *   buckets of one coarse bucket over a range of days are read by one seek per bucket, not by a scan of the days.
 * - ledger_stock_days: per day, each stage's moves in minus moves out (stage '' = OUTSIDE: minus the records that
 *   entered), so a daily stock series reads stages × days rows instead of every move key of every day.
 * Filled here from the 0008/0011 tables; maintained with them by applyAggregateDelta.
 */
export function reportCoarseDurationsAndStock(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('ledger_duration_coarse')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('span', 'integer', (col) => col.notNull())
        .addColumn('exited_day', 'integer', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('coarse', 'integer', (col) => col.notNull())
        .addColumn('stays', 'bigint', (col) => col.notNull())
        .addColumn('total_ms', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_duration_coarse_pk', ['portal_id', 'object_type', 'span', 'exited_day', 'stage', 'coarse'])
        .execute();
      await db.schema
        .createTable('ledger_stock_days')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('day', 'integer', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('delta', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_stock_days_pk', ['portal_id', 'object_type', 'day', 'stage'])
        .execute();
      await sql`insert into ledger_stock_days (portal_id, object_type, day, stage, delta)
        select portal_id, object_type, day, stage, sum(delta) from (
          select portal_id, object_type, day, to_stage as stage, moves as delta from ledger_move_days
          union all select portal_id, object_type, day, from_stage as stage, -moves as delta from ledger_move_days
        ) as d group by portal_id, object_type, day, stage`.execute(db);
      await db.schema.createIndex('ledger_stay_durations_by_bucket').on('ledger_stay_durations').columns(['portal_id', 'object_type', 'stage', 'bucket', 'exited_day']).execute();
      await db.schema.createIndex('ledger_duration_spans_by_bucket').on('ledger_duration_spans').columns(['portal_id', 'object_type', 'span', 'stage', 'bucket', 'exited_day']).execute();
      // Buckets are ≥ −1; integer division truncates toward zero on both dialects, so −1 is mapped by hand (floor).
      const coarse = sql`case when bucket < 0 then -1 else bucket / ${sql.lit(COARSE_BUCKET_WIDTH)} end`;
      await sql`insert into ledger_duration_coarse (portal_id, object_type, span, exited_day, stage, coarse, stays, total_ms)
        select portal_id, object_type, 1, exited_day, stage, ${coarse}, sum(stays), sum(total_ms) from ledger_stay_durations
        group by portal_id, object_type, exited_day, stage, ${coarse}`.execute(db);
      await sql`insert into ledger_duration_coarse (portal_id, object_type, span, exited_day, stage, coarse, stays, total_ms)
        select portal_id, object_type, span, exited_day, stage, ${coarse}, sum(stays), sum(total_ms) from ledger_duration_spans
        group by portal_id, object_type, span, exited_day, stage, ${coarse}`.execute(db);
    },
  };
}
