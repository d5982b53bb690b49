import { sql, type Kysely, type Migration } from 'kysely';
import { COARSE_BUCKET_WIDTH } from '../../../core/ledger';

/**
 * Issue 13 (B7 at 10M ledger rows): the rollups of 0011 and 0015 also per aligned block of 4 and of 64 days, so
 * ROLLUP_SPANS is base 4 (256, 64, 16, 4). A block holds about as many rows as a day, so a report costs its number
 * of segments: the edges of a range now take at most 3 + 3 rows per span (≈ 12 segments) instead of 15 + 15 days
 * and 15 + 15 sixteen-day blocks (≈ 30). Filled from the day tables exactly as 0011 and 0015 filled 16 and 256, so
 * a database comes out as if the spans had always been written; applyAggregateDelta maintains them from here on.
 */
export function baseFourRollupSpans(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      // Buckets are ≥ −1; integer division truncates toward zero on both dialects, so −1 is mapped by hand (floor).
      const coarse = sql`case when bucket < 0 then -1 else bucket / ${sql.lit(COARSE_BUCKET_WIDTH)} end`;
      // Integer division of non-negative day numbers: floor.
      for (const span of [4, 64]) {
        const block = (day: string) => sql`(${sql.ref(day)} / ${sql.lit(span)}) * ${sql.lit(span)}`;
        await sql`insert into ledger_move_spans (portal_id, object_type, span, day, from_stage, to_stage, kind, reason_code, skipped, moves)
          select portal_id, object_type, ${sql.lit(span)}, ${block('day')}, from_stage, to_stage, kind, reason_code, skipped, sum(moves) from ledger_move_days
          group by portal_id, object_type, ${block('day')}, from_stage, to_stage, kind, reason_code, skipped`.execute(db);
        await sql`insert into ledger_stay_entries (portal_id, object_type, span, entered_day, stage, exit_to, exit_skip, stays)
          select portal_id, object_type, ${sql.lit(span)}, ${block('entered_day')}, stage, exit_to, exit_skip, sum(stays) from ledger_stay_days
          group by portal_id, object_type, ${block('entered_day')}, stage, exit_to, exit_skip`.execute(db);
        await sql`insert into ledger_duration_spans (portal_id, object_type, span, exited_day, stage, bucket, stays, total_ms)
          select portal_id, object_type, ${sql.lit(span)}, ${block('exited_day')}, stage, bucket, sum(stays), sum(total_ms) from ledger_stay_durations
          group by portal_id, object_type, ${block('exited_day')}, stage, bucket`.execute(db);
        await sql`insert into ledger_duration_coarse (portal_id, object_type, span, exited_day, stage, coarse, stays, total_ms)
          select portal_id, object_type, ${sql.lit(span)}, ${block('exited_day')}, stage, ${coarse}, sum(stays), sum(total_ms) from ledger_stay_durations
          group by portal_id, object_type, ${block('exited_day')}, stage, ${coarse}`.execute(db);
      }
    },
  };
}
