import type { Kysely } from 'kysely';
import type { AggregatesRebuildStep, PortalId, RecordKey } from '../../app/ports/store-ports';
import { LedgerAggregates } from '../../core/ledger';
import type { StoreDialect } from './database';
import { decodeRebuildCursor, encodeRebuildCursor, enterAggregateFence, REBUILD_CURSOR, recordsCounted, type RebuildCursor } from './ledger-aggregate-fence';
import { applyAggregateDelta, recordHistories } from './ledger-aggregate-repository';
import type { Database } from './schema';

export { REBUILD_CURSOR } from './ledger-aggregate-fence';

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
 * and the aggregate keys they touch, never the portal's ledger. Not fenced against writers (a commit to a record it
 * has not reached yet would be counted twice): for migration 0008, which runs inside one transaction. A live system
 * rebuilds with `rebuildWithCheckpoints`.
 */
export async function rebuildLedgerAggregates(db: Kysely<Database>, options: RebuildOptions = {}): Promise<void> {
  const portals = options.portalId !== undefined ? [options.portalId] : await portalsWithLedger(db);
  for (const portalId of portals) await rebuildPortal(db, portalId, options);
}

async function rebuildPortal(db: Kysely<Database>, portalId: PortalId, options: RebuildOptions): Promise<void> {
  const step = options.recordsPerStep ?? DEFAULT_RECORDS_PER_STEP;
  const withRollups = options.withRollups ?? true;
  let after = options.resumeAfter ?? null;
  let recordsDone = 0;
  if (after === null) {
    await atomically(db, options, async (trx) => {
      for (const table of aggregateTables(withRollups)) await trx.deleteFrom(table).where('portal_id', '=', portalId).execute();
    });
  }
  for (;;) {
    // The next records are read in the step's transaction: a record first written between the read and the step would
    // otherwise fall behind the cursor unread.
    const more = await atomically(db, options, async (trx) => {
      const records = await nextRecords(trx, portalId, after, step);
      if (records.length === 0) return false;
      await addContributions(trx, portalId, records, withRollups);
      recordsDone += records.length;
      after = records.at(-1) ?? null;
      await options.onStep?.({ portalId, after, recordsDone }, trx);
      return true;
    });
    if (!more) return;
  }
}

const DEFAULT_RECORDS_PER_STEP = 1_000;

/** Adds the records' whole contributions (read from their histories) to the aggregates. */
async function addContributions(trx: Kysely<Database>, portalId: PortalId, records: readonly RecordKey[], withRollups: boolean): Promise<void> {
  const contribution = new LedgerAggregates();
  for (const history of await recordHistories(trx, portalId, records)) contribution.addRecord(history);
  await applyAggregateDelta(trx, portalId, contribution.withoutZeros(), { rollups: withRollups });
}

/** The tables of the aggregates by day (0008), then their rollups (0011 and after). */
const DAY_TABLES = ['ledger_move_days', 'ledger_stay_days', 'ledger_stay_durations'] as const;
export const AGGREGATE_TABLES = [
  ...DAY_TABLES,
  'ledger_move_totals',
  'ledger_move_spans',
  'ledger_stay_entries',
  'ledger_duration_spans',
  'ledger_duration_coarse',
  'ledger_stock_days',
] as const;

function aggregateTables(withRollups: boolean): ReadonlyArray<(typeof AGGREGATE_TABLES)[number]> {
  return withRollups ? AGGREGATE_TABLES : DAY_TABLES;
}

/** The next records of the portal's ledger after `after`, in the rebuild's order (the fence compares in this order too). */
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

/** A transaction, or the caller's when it already is one (a migration runs inside its own; a test may hold one). */
function atomically<T>(db: Kysely<Database>, options: { insideTransaction?: boolean }, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction || options.insideTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * A rebuild on a live system that survives being stopped. Its start empties the portal's aggregates and saves the
 * cursor (REBUILD_CURSOR) in one transaction; each step adds the next records' contributions and moves the cursor
 * in one; the step that finds no record left removes it. Every one of them takes the fence first and reads the cursor
 * and the records inside (ledger-aggregate-fence.ts), so writers may commit throughout; a run that finds a cursor
 * continues after it (and two runs at once share the work). `onProgress` is told after each step commits.
 */
export async function rebuildWithCheckpoints(
  db: Kysely<Database>,
  options: { dialect: StoreDialect; portalId?: PortalId; recordsPerStep?: number; onProgress?: (progress: AggregatesRebuildStep) => void | Promise<void>; now: () => number },
): Promise<void> {
  const portals = options.portalId !== undefined ? [options.portalId] : await portalsWithLedger(db);
  for (const portalId of portals) {
    const { resumed } = await beginRebuild(db, options.dialect, portalId, options.now());
    for (;;) {
      const cursor = await rebuildStep(db, options.dialect, portalId, { recordsPerStep: options.recordsPerStep ?? DEFAULT_RECORDS_PER_STEP, now: options.now() });
      if (cursor === null) break;
      await options.onProgress?.({ portalId, after: cursor.after, recordsDone: cursor.recordsDone, recordsTotal: shownTotal(cursor), resumed });
    }
  }
}

/** The total a progress shows: never below the records done (the count at the start is what the aggregates held). */
function shownTotal(cursor: RebuildCursor): number | null {
  return cursor.recordsTotal === null ? null : Math.max(cursor.recordsTotal, cursor.recordsDone);
}

/**
 * Starts the portal's rebuild, or finds the one in progress (`resumed`). Starting empties the aggregates and saves
 * the cursor before the first record in one transaction, under the fence: a writer that committed before counted its
 * change in what is emptied; one after sees the cursor and leaves every record to the rebuild. The total is the
 * records the aggregates counted just before (their first moves; none: unknown).
 */
export async function beginRebuild(db: Kysely<Database>, dialect: StoreDialect, portalId: PortalId, now: number): Promise<{ resumed: boolean }> {
  return atomically(db, {}, async (trx) => {
    await enterAggregateFence(trx, dialect, portalId, 'exclusive');
    const saved = await savedCursor(trx, portalId);
    if (saved) {
      // A cursor saved before the counts were: the aggregates hold exactly the records at or before it.
      if (saved.recordsDone === null) await saveCursor(trx, portalId, { after: saved.after, recordsDone: await recordsCounted(trx, portalId), recordsTotal: null }, now);
      return { resumed: true };
    }
    // None counted (aggregates lost, the case a rebuild repairs): unknown rather than 0.
    const recordsTotal = (await recordsCounted(trx, portalId)) || null;
    for (const table of aggregateTables(true)) await trx.deleteFrom(table).where('portal_id', '=', portalId).execute();
    await saveCursor(trx, portalId, { after: null, recordsDone: 0, recordsTotal }, now);
    return { resumed: false };
  });
}

/**
 * One step of the portal's rebuild, in one transaction under the fence: the next records after the cursor (read
 * here, so a record a writer created meanwhile is either in this step or after the cursor it leaves), their whole
 * contributions, and the cursor moved to the last of them. Returns the cursor; null when there was no record left
 * (the cursor is then removed: the rebuild is over) or no rebuild in progress.
 */
export async function rebuildStep(db: Kysely<Database>, dialect: StoreDialect, portalId: PortalId, options: { recordsPerStep: number; now: number }): Promise<RebuildCursor | null> {
  return atomically(db, {}, async (trx) => {
    await enterAggregateFence(trx, dialect, portalId, 'exclusive');
    const saved = await savedCursor(trx, portalId);
    if (!saved) return null;
    const records = await nextRecords(trx, portalId, saved.after, options.recordsPerStep);
    if (records.length === 0) {
      await trx.deleteFrom('cursors').where('portal_id', '=', portalId).where('name', '=', REBUILD_CURSOR).execute();
      return null;
    }
    await addContributions(trx, portalId, records, true);
    const cursor = { after: records.at(-1) ?? null, recordsDone: (saved.recordsDone ?? 0) + records.length, recordsTotal: saved.recordsTotal };
    await saveCursor(trx, portalId, cursor, options.now);
    return cursor;
  });
}

async function savedCursor(trx: Kysely<Database>, portalId: PortalId): Promise<ReturnType<typeof decodeRebuildCursor> | null> {
  const row = await trx.selectFrom('cursors').select('value').where('portal_id', '=', portalId).where('name', '=', REBUILD_CURSOR).executeTakeFirst();
  return row ? decodeRebuildCursor(row.value) : null;
}

async function saveCursor(trx: Kysely<Database>, portalId: PortalId, cursor: RebuildCursor, now: number): Promise<void> {
  const value = encodeRebuildCursor(cursor);
  await trx
    .insertInto('cursors')
    .values({ portal_id: portalId, name: REBUILD_CURSOR, value, updated_at: now })
    .onConflict((c) => c.columns(['portal_id', 'name']).doUpdateSet({ value, updated_at: now }))
    .execute();
}
