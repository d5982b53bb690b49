import { expressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { RecordKey } from '../../app/ports/store-ports';
import type { ObjectType } from '../../core';

/** The columns every per-record table has, as a virtual table to type conditions against. */
interface KeyedByRecord {
  record: { object_type: string; object_id: string };
}
// Conditions compile to unqualified column names, so they apply to whichever record table the query reads.
const record = expressionBuilder<KeyedByRecord, 'record'>();

/** `(object_type, object_id) in ((…), …)`; combine with the portal condition. */
export function recordIn(keys: readonly RecordKey[]): Expression<SqlBool> {
  return record(
    record.refTuple('object_type', 'object_id'),
    'in',
    keys.map((key) => record.tuple(key.objectType, key.objectId)),
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
