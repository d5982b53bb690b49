import { expressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { RecordKey } from '../../app/ports/store-ports';
import type { ObjectType } from '../../core';

/** The columns every per-record table has, as a virtual table to type conditions against. */
interface KeyedByRecord {
  record: { object_type: string; object_id: string };
}
// Conditions compile to unqualified column names, so they apply to whichever record table the query reads.
const record = expressionBuilder<KeyedByRecord, 'record'>();

/**
 * `object_type = ? and object_id in (…)` when the keys are of one type; combine with the portal condition.
 * Not the row values `(object_type, object_id) in ((…), …)`: PostgreSQL plans those as an OR of one index scan per
 * key, and planning alone took 250 ms for 500 keys (770 ms in all, against 19 ms for `object_id = any(…)`), so a
 * backfill unit of 5,000 contacts spent seconds per table read on PostgreSQL (issue 15, B4-PG).
 */
export function recordIn(keys: readonly RecordKey[]): Expression<SqlBool> {
  const idsByType = new Map<string, string[]>();
  for (const key of keys) {
    const ids = idsByType.get(key.objectType);
    if (ids) ids.push(key.objectId);
    else idsByType.set(key.objectType, [key.objectId]);
  }
  const [only, ...others] = [...idsByType];
  if (only !== undefined && others.length === 0) return record.and([record('object_type', '=', only[0]), record('object_id', 'in', only[1])]);
  // Keys of several types (an outbox claim's records): row values, which SQLite looks up by key; an OR of one group
  // per type it read from the portal's whole range of an index instead.
  return record(
    record.refTuple('object_type', 'object_id'),
    'in',
    keys.map((key) => record.tuple(key.objectType, key.objectId)),
  );
}

/** The columns of a table with a surrogate id (queues, alerts, dead letters). */
interface KeyedById {
  item: { portal_id: number; id: number };
}
const item = expressionBuilder<KeyedById, 'item'>();

/**
 * `(portal_id, id) in ((…), …)`: rows of a surrogate-id table by id. Written as row values, not `portal_id = ? and id
 * in (…)`, because SQLite (without statistics) reads the latter from an index's portal prefix — every row the portal
 * ever had — instead of looking the rowids up; PostgreSQL finds the rows by its (portal_id, id) key either way.
 */
export function itemIn(portalId: number, ids: readonly number[]): Expression<SqlBool> {
  return item(
    item.refTuple('portal_id', 'id'),
    'in',
    ids.map((id) => item.tuple(portalId, id)),
  );
}

export function isRecord(key: RecordKey): Expression<SqlBool> {
  return record.and([record('object_type', '=', key.objectType), record('object_id', '=', key.objectId)]);
}

export function toRecordKey(row: { object_type: string; object_id: string }): RecordKey {
  return { objectType: row.object_type as ObjectType, objectId: row.object_id };
}

/** Splits long key lists so one statement stays far below the drivers' bound-parameter limits. */
export function inChunks<T>(items: readonly T[], size = 500): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * Splits rows for multi-row statements into chunks of `size` and, for the rest, powers of two (300 rows: 256, 32, 8,
 * 4). Each chunk length is a different SQL text, and SQLite's prepared statements are cached per text
 * (sqlite-statement-cache.ts): with any length allowed, a backfill's batches left up to 256 large statements (up to
 * 9,500 parameters each) in the cache; this way at most ten lengths per statement shape recur.
 */
export function inStatementChunks<T>(items: readonly T[], size = 512): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (; items.length - start >= size; start += size) chunks.push(items.slice(start, start + size));
  for (let piece = size / 2; piece >= 1; piece = Math.floor(piece / 2)) {
    if (items.length - start >= piece) {
      chunks.push(items.slice(start, start + piece));
      start += piece;
    }
  }
  return chunks;
}
