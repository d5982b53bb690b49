import type { Kysely } from 'kysely';
import type { PortalId, RecordKey } from '../../app/ports/store-ports';
import { LedgerAggregates } from '../../core/ledger';
import { applyAggregateDelta, recordHistories } from './ledger-aggregate-repository';
import type { Database } from './schema';

/** Where a rebuild of one portal got to: the last record whose contribution is in the tables. */
export interface RebuildProgress {
  portalId: PortalId;
  after: RecordKey | null;
  recordsDone: number;
}

export interface RebuildOptions {
  /** Only this portal; default: every portal with ledger rows. */
  portalId?: PortalId;
  /** Records per step; each step reads their histories and adds their contribution in one transaction. */
  recordsPerStep?: number;
  /**
   * Continue after this record instead of starting over (the caller kept the progress of a run that stopped).
   * Without it the portal's aggregates are emptied first.
   */
  resumeAfter?: RecordKey | null;
  /** Told after every step, inside the step's transaction (so a saved checkpoint commits with the step). */
  onStep?: (progress: RebuildProgress, trx: Kysely<Database>) => Promise<void> | void;
  /** The caller already holds a transaction on `db` (a migration: SQLite's runs inside BEGIN IMMEDIATE). */
  insideTransaction?: boolean;
  /**
   * Also rebuild the rollup tables of migrations 0011 and 0015 (default). Migration 0008 runs before they exist and
   * says false; 0011 and 0015 then fill them from the day tables.
   */
  withRollups?: boolean;
}

/**
 * Recomputes the ledger aggregates from the ledger, record by record in key order: memory holds one step's records
 * and the aggregate keys they touch, never the portal's ledger. Used by migration 0008 for existing databases and by
 * `lifecycle aggregates rebuild`. Writers keep the aggregates exact on their own; a rebuild is for repair, and should
 * run while no worker writes to the portal (a commit to a record the rebuild has not reached yet would be counted
 * twice).
 */
export async function rebuildLedgerAggregates(db: Kysely<Database>, options: RebuildOptions = {}): Promise<void> {
  const portals = options.portalId !== undefined ? [options.portalId] : await portalsWithLedger(db);
  for (const portalId of portals) await rebuildPortal(db, portalId, options);
}

async function rebuildPortal(db: Kysely<Database>, portalId: PortalId, options: RebuildOptions): Promise<void> {
  const step = options.recordsPerStep ?? 1_000;
  let after = options.resumeAfter ?? null;
  let recordsDone = 0;
  if (after === null) {
    await atomically(db, options, async (trx) => {
      for (const table of aggregateTables(options)) await trx.deleteFrom(table).where('portal_id', '=', portalId).execute();
    });
  }
  for (;;) {
    const records = await nextRecords(db, portalId, after, step);
    if (records.length === 0) return;
    const last = records.at(-1) ?? null;
    await atomically(db, options, async (trx) => {
      const contribution = new LedgerAggregates();
      for (const history of await recordHistories(trx, portalId, records)) contribution.addRecord(history);
      await applyAggregateDelta(trx, portalId, contribution.withoutZeros(), { rollups: options.withRollups ?? true });
      recordsDone += records.length;
      await options.onStep?.({ portalId, after: last, recordsDone }, trx);
    });
    after = last;
  }
}

function aggregateTables(options: RebuildOptions) {
  const days = ['ledger_move_days', 'ledger_stay_days', 'ledger_stay_durations'] as const;
  const rollups = ['ledger_move_totals', 'ledger_move_spans', 'ledger_stay_entries', 'ledger_duration_spans', 'ledger_duration_coarse', 'ledger_stock_days'] as const;
  return (options.withRollups ?? true) ? [...days, ...rollups] : days;
}

async function nextRecords(db: Kysely<Database>, portalId: PortalId, after: RecordKey | null, limit: number): Promise<RecordKey[]> {
  const rows = await db
    .selectFrom('ledger')
    .select(['object_type', 'object_id'])
    .distinct()
    .where('portal_id', '=', portalId)
    .$if(after !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('object_type', '>', (after as RecordKey).objectType),
          eb.and([eb('object_type', '=', (after as RecordKey).objectType), eb('object_id', '>', (after as RecordKey).objectId)]),
        ]),
      ),
    )
    .orderBy('object_type')
    .orderBy('object_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ objectType: r.object_type as RecordKey['objectType'], objectId: r.object_id }));
}

async function portalsWithLedger(db: Kysely<Database>): Promise<PortalId[]> {
  const rows = await db.selectFrom('ledger').select('portal_id').distinct().orderBy('portal_id').execute();
  return rows.map((r) => Number(r.portal_id));
}

/** A transaction, or the caller's when it already is one (a migration runs inside its own). */
function atomically(db: Kysely<Database>, options: RebuildOptions, work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
  return db.isTransaction || options.insideTransaction ? work(db) : db.transaction().execute(work);
}

/** The cursor (per portal) that remembers how far a checkpointed rebuild got. */
export const REBUILD_CURSOR = 'ledger-aggregates-rebuild';

/**
 * A rebuild that survives being stopped: each step saves the last record done in the `cursors` table in the
 * step's own transaction, and a later run continues after it; a finished portal's cursor is removed.
 */
export async function rebuildWithCheckpoints(
  db: Kysely<Database>,
  options: { portalId?: PortalId; onProgress?: (progress: RebuildProgress & { resumed: boolean }) => void; now: () => number },
): Promise<void> {
  const portals = options.portalId !== undefined ? [options.portalId] : await portalsWithLedger(db);
  for (const portalId of portals) {
    const saved = await db.selectFrom('cursors').select('value').where('portal_id', '=', portalId).where('name', '=', REBUILD_CURSOR).executeTakeFirst();
    const resumeAfter = saved ? (JSON.parse(saved.value) as { after: RecordKey }).after : null;
    await rebuildLedgerAggregates(db, {
      portalId,
      resumeAfter,
      onStep: async (progress, trx) => {
        const value = JSON.stringify({ after: progress.after });
        await trx
          .insertInto('cursors')
          .values({ portal_id: portalId, name: REBUILD_CURSOR, value, updated_at: options.now() })
          .onConflict((c) => c.columns(['portal_id', 'name']).doUpdateSet({ value, updated_at: options.now() }))
          .execute();
        options.onProgress?.({ ...progress, resumed: resumeAfter !== null });
      },
    });
    await db.deleteFrom('cursors').where('portal_id', '=', portalId).where('name', '=', REBUILD_CURSOR).execute();
  }
}
