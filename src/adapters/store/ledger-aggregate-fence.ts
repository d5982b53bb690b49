import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { AggregatesRebuildProgress, PortalId, RecordKey } from '../../app/ports/store-ports';
import { OUTSIDE } from '../../core/ledger/aggregates/aggregate-keys';
import type { StoreDialect } from './database';
import type { Database } from './schema';

/**
 * The fence between a rebuild of a portal's ledger aggregates and the writers that keep them (`lifecycle aggregates
 * rebuild` on a live system).
 *
 * A rebuild empties the portal's aggregates and adds the records' contributions back in record order (object type,
 * object id), a step of records at a time; its cursor (REBUILD_CURSOR in `cursors`) names the last record done. While
 * the cursor exists, a writer moves the aggregates only by the delta of records at or before it: those are counted,
 * and a change to them must be too. A record after it is left alone, and the rebuild reads its whole history when it
 * gets there, this change included. Without the fence that change was counted twice (its delta on the emptied tables,
 * then the record's whole history).
 *
 * Race-free when every writer reads the cursor inside its transaction and each rebuild step reads the next records
 * and their histories inside its own:
 * - SQLite: every transaction is BEGIN IMMEDIATE, so a writer and a step never overlap.
 * - PostgreSQL (READ COMMITTED, several processes): a writer takes the portal's fence lock shared, and the rebuild's
 *   start and each step take it exclusive, each in a statement of its own before the reads it protects: a statement's
 *   snapshot is taken when it starts, so a cursor read in the statement that waited for the lock could be the one
 *   from before the step it waited for. A writer holds the lock from its cursor read to its commit: a step never
 *   reads histories while a writer that read the old cursor is uncommitted, and a writer that waited for a step reads
 *   the cursor that step left (the step did not see the writer's rows; the writer counts them if the step reached
 *   the record). Advisory locks live in memory: a shared one writes no tuple.
 */
export const REBUILD_CURSOR = 'ledger-aggregates-rebuild';

/** What the cursor holds (JSON in `cursors.value`): the last record done, records done, and the portal's records when it began. */
export interface RebuildCursor {
  after: RecordKey | null;
  recordsDone: number;
  /** About: the records the aggregates counted when the rebuild began (their first moves); null if unknown. */
  recordsTotal: number | null;
}

export function encodeRebuildCursor(cursor: RebuildCursor): string {
  return JSON.stringify({ after: cursor.after, done: cursor.recordsDone, total: cursor.recordsTotal });
}

/** A cursor as saved; one saved before the counts were (`{ after }` alone) has none. */
export function decodeRebuildCursor(value: string): { after: RecordKey | null; recordsDone: number | null; recordsTotal: number | null } {
  const parsed = JSON.parse(value) as { after?: RecordKey | null; done?: number; total?: number | null };
  return { after: parsed.after ?? null, recordsDone: parsed.done ?? null, recordsTotal: parsed.total ?? null };
}

/**
 * PostgreSQL: takes the portal's fence lock until the transaction ends (writers shared, the rebuild exclusive).
 * Keyed by two int4 (the schema's name hashed, the portal id): a key space apart from the store's other advisory
 * locks, which take one bigint (migrations, queue claims). SQLite: nothing; its write lock already serialises.
 */
export async function enterAggregateFence(trx: Kysely<Database>, dialect: StoreDialect, portalId: PortalId, mode: 'shared' | 'exclusive'): Promise<void> {
  if (dialect !== 'postgres') return;
  const key = sql`hashtext(current_schema() || ':ledger-aggregates'), cast(${portalId | 0} as integer)`;
  await (mode === 'shared' ? sql`select pg_advisory_xact_lock_shared(${key})` : sql`select pg_advisory_xact_lock(${key})`).execute(trx);
}

/**
 * The cursor's record as two text columns (`after_type`, `after_id`): a select over `cursors` in parentheses, for a
 * CTE; one indexed read. No row: no rebuild in progress; nulls: one that has not finished a step yet.
 */
export function rebuildCursorSelect(dialect: StoreDialect, portalId: PortalId): RawBuilder<{ after_type: string | null; after_id: string | null }> {
  const field = (name: 'objectType' | 'objectId') => (dialect === 'postgres' ? sql`(value::json #>> ${`{after,${name}}`})` : sql`json_extract(value, ${`$.after.${name}`})`);
  return sql`(select ${field('objectType')} as after_type, ${field('objectId')} as after_id from cursors where portal_id = ${portalId} and name = ${REBUILD_CURSOR})`;
}

/**
 * 1 when the ledger row's record comes after the cursor of CTE `cursor` (the rebuild's order: object type, then
 * object id, compared by SQL as `nextRecords` compares them, so a collation orders both alike), else 0; null
 * without a rebuild.
 */
export function beyondRebuild(cursor: string): RawBuilder<number | null> {
  const c = sql.raw(cursor);
  return sql`(select case when ${c}.after_type is null then 1 when ledger.object_type > ${c}.after_type then 1 when ledger.object_type = ${c}.after_type and ledger.object_id > ${c}.after_id then 1 else 0 end from ${c})`;
}

/** The portal's rebuild in progress (or stopped before it finished), or null: one read of `cursors` by its key. */
export async function rebuildInProgress(db: Kysely<Database>, portalId: PortalId): Promise<AggregatesRebuildProgress | null> {
  const row = await db.selectFrom('cursors').select('value').where('portal_id', '=', portalId).where('name', '=', REBUILD_CURSOR).executeTakeFirst();
  if (!row) return null;
  const cursor = decodeRebuildCursor(row.value);
  const recordsDone = cursor.recordsDone ?? 0;
  return { recordsDone, recordsTotal: cursor.recordsTotal === null ? null : Math.max(cursor.recordsTotal, recordsDone) };
}

/**
 * Records the portal's aggregates count: one first move (from OUTSIDE) per record with ledger rows,
 * summed from the all-time move totals (stages² rows per object type, never the ledger).
 */
export async function recordsCounted(db: Kysely<Database>, portalId: PortalId): Promise<number> {
  const row = await db
    .selectFrom('ledger_move_totals')
    .select((eb) => eb.fn.sum<number | string | null>('moves').as('records'))
    .where('portal_id', '=', portalId)
    .where('from_stage', '=', OUTSIDE)
    .executeTakeFirst();
  return Math.max(0, Number(row?.records ?? 0));
}
