import type { Kysely, Migration } from 'kysely';
import type { Database } from '../schema';
import { rebuildLedgerAggregates } from '../ledger-aggregate-rebuild';

/**
 * Read-side aggregates of the ledger, maintained in the same transaction as the ledger rows they summarise (see
 * ledger-aggregate-repository.ts), so that reports cost stages × days instead of a scan of the whole ledger:
 * - ledger_move_days: moves per UTC day, by where the record's previous row had put it (from_stage, '' for its
 *   first row), where it went, kind, reason code ('' for none) and skipped stages (JSON) — flow and stock;
 * - ledger_stay_days: ended stays by stage, the day they began and the day they ended, and how (cohort CVR, SLA);
 * - ledger_stay_durations: ended stays by stage, end day and logarithmic duration bucket, with their summed
 *   milliseconds (velocity: exact mean, median within 1 %).
 * Existing ledgers are summarised here, once; `lifecycle aggregates rebuild` redoes it on demand.
 */
export function ledgerAggregates(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('ledger_move_days')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('day', 'integer', (col) => col.notNull())
        .addColumn('from_stage', 'text', (col) => col.notNull())
        .addColumn('to_stage', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('reason_code', 'text', (col) => col.notNull())
        .addColumn('skipped', 'text', (col) => col.notNull())
        .addColumn('moves', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_move_days_pk', ['portal_id', 'object_type', 'day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped'])
        .execute();
      await db.schema
        .createTable('ledger_stay_days')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('entered_day', 'integer', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('exited_day', 'integer', (col) => col.notNull())
        .addColumn('exit_to', 'text', (col) => col.notNull())
        .addColumn('exit_skip', 'integer', (col) => col.notNull())
        .addColumn('stays', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_stay_days_pk', ['portal_id', 'object_type', 'entered_day', 'stage', 'exited_day', 'exit_to', 'exit_skip'])
        .execute();
      await db.schema
        .createTable('ledger_stay_durations')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('exited_day', 'integer', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('bucket', 'integer', (col) => col.notNull())
        .addColumn('stays', 'bigint', (col) => col.notNull())
        .addColumn('total_ms', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('ledger_stay_durations_pk', ['portal_id', 'object_type', 'exited_day', 'stage', 'bucket'])
        .execute();
      // The rollups of 0011 do not exist yet: 0011 builds them from these tables.
      await rebuildLedgerAggregates(db as Kysely<Database>, { insideTransaction: true, withRollups: false });
    },
  };
}
