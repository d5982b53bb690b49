import { sql, type Kysely } from 'kysely';
import type { PortalId, RecordKey, RecordPropertyPort, StoredPropertyValue } from '../../app/ports/store-ports';
import { recordKeyString } from '../../core';
import { inChunks, recordIn, toRecordKey } from './record-keys';
import type { Database, RecordPropertiesTable } from './schema';

export class RecordPropertyRepository implements RecordPropertyPort {
  constructor(private readonly db: Kysely<Database>) {}

  async getMany(portalId: PortalId, keys: RecordKey[]): Promise<Map<string, StoredPropertyValue[]>> {
    const stored = new Map<string, StoredPropertyValue[]>(keys.map((key) => [recordKeyString(key), []]));
    for (const chunk of inChunks(keys)) {
      const rows = await this.db
        .selectFrom('record_properties')
        .select(['object_type', 'object_id', 'property', 'value', 'set_at'])
        .where('portal_id', '=', portalId)
        .where(recordIn(chunk))
        .execute();
      for (const row of rows) {
        stored.get(recordKeyString(toRecordKey(row)))?.push({ property: row.property, value: row.value, setAt: row.set_at === null ? null : Number(row.set_at) });
      }
    }
    return stored;
  }
}

/**
 * Stores the property values of several distinct records (in the caller's transaction), in multi-row statements. A
 * value equal to the stored one keeps the stored date unless this write knows one; a new value takes this write's
 * date, known or not.
 */
export async function upsertRecordPropertiesOfRecords(
  db: Kysely<Database>,
  portalId: PortalId,
  records: ReadonlyArray<{ key: RecordKey; values: readonly StoredPropertyValue[] }>,
): Promise<void> {
  const rows = records.flatMap(({ key, values }) =>
    values.map((v) => ({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, property: v.property, value: v.value, set_at: v.setAt })),
  );
  for (const part of inChunks(rows, 200)) await upsertRows(db, part);
}

async function upsertRows(db: Kysely<Database>, rows: RecordPropertiesTable[]): Promise<void> {
  await db
    .insertInto('record_properties')
    .values(rows)
    .onConflict((conflict) =>
      conflict.columns(['portal_id', 'object_type', 'object_id', 'property']).doUpdateSet({
        value: (eb) => eb.ref('excluded.value'),
        set_at: sql<
          number | null
        >`case when record_properties.value = excluded.value or (record_properties.value is null and excluded.value is null) then coalesce(excluded.set_at, record_properties.set_at) else excluded.set_at end`,
      }),
    )
    .execute();
}
