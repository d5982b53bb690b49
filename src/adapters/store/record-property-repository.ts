import { sql, type Kysely } from 'kysely';
import type { IdRange, PortalId, RecordKey, RecordPropertyPort, StoredPropertyValue } from '../../app/ports/store-ports';
import { recordKeyString, type ObjectType } from '../../core';
import type { StoreDialect } from './database';
import { inChunks, recordIn, toRecordKey } from './record-keys';
import type { Database, RecordPropertiesTable } from './schema';

export class RecordPropertyRepository implements RecordPropertyPort {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
  ) {}

  async getMany(portalId: PortalId, keys: RecordKey[]): Promise<Map<string, StoredPropertyValue[]>> {
    const stored = new Map<string, StoredPropertyValue[]>(keys.map((key) => [recordKeyString(key), []]));
    for (const chunk of inChunks(keys)) {
      const rows = await this.db
        .selectFrom('record_properties')
        .select(['object_type', 'object_id', 'property', 'value', 'set_at', 'observed_at'])
        .where('portal_id', '=', portalId)
        .where(recordIn(chunk))
        .execute();
      for (const row of rows) {
        stored.get(recordKeyString(toRecordKey(row)))?.push({ property: row.property, value: row.value, setAt: nullableNumber(row.set_at), observedAt: nullableNumber(row.observed_at) });
      }
    }
    return stored;
  }

  /**
   * One row per record, its values as one JSON array of [property, value, set_at, observed_at] (by property): a
   * record holds some twenty values, and building them in the database and parsing one string costs less than twenty
   * driver rows (measured on SQLite: 20,000 records, 400,000 values, about 190 ms of CPU where rows took about 400 ms).
   */
  async inIdRange(portalId: PortalId, objectType: ObjectType, range: IdRange): Promise<Map<string, StoredPropertyValue[]>> {
    const values =
      this.dialect === 'postgres'
        ? sql<string | Array<[string, string | null, number | null, number | null]>>`json_agg(json_build_array(property, value, set_at, observed_at) order by property)`
        : sql<string>`json_group_array(json_array(property, value, set_at, observed_at) order by property)`;
    const rows = await this.db
      .selectFrom('record_properties')
      .select(['object_id', values.as('vals')])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .$if(range.after !== null, (q) => q.where('object_id', '>', range.after as string))
      .where('object_id', '<=', range.last)
      .groupBy('object_id')
      .orderBy('object_id')
      .execute();
    const stored = new Map<string, StoredPropertyValue[]>();
    for (const row of rows) {
      // SQLite hands JSON over as text; the PostgreSQL driver parses json itself.
      const tuples = (typeof row.vals === 'string' ? JSON.parse(row.vals) : row.vals) as Array<[string, string | null, number | null, number | null]>;
      stored.set(
        row.object_id,
        tuples.map(([property, value, setAt, observedAt]) => ({ property, value, setAt, observedAt })),
      );
    }
    return stored;
  }
}

/**
 * Stores the property values of several distinct records (in the caller's transaction), in multi-row statements. A
 * value equal to the stored one keeps the stored date unless this write knows one, and always keeps when it was first
 * observed; a new value takes this write's dates, known or not.
 */
export async function upsertRecordPropertiesOfRecords(
  db: Kysely<Database>,
  portalId: PortalId,
  records: ReadonlyArray<{ key: RecordKey; values: readonly StoredPropertyValue[] }>,
): Promise<void> {
  const rows = records.flatMap(({ key, values }) =>
    values.map((v) => ({
      portal_id: portalId,
      object_type: key.objectType,
      object_id: key.objectId,
      property: v.property,
      value: v.value,
      set_at: v.setAt,
      observed_at: v.observedAt ?? null,
    })),
  );
  for (const part of inChunks(rows, 200)) await upsertRows(db, part);
}

async function upsertRows(db: Kysely<Database>, rows: RecordPropertiesTable[]): Promise<void> {
  const sameValue = sql<boolean>`(record_properties.value = excluded.value or (record_properties.value is null and excluded.value is null))`;
  await db
    .insertInto('record_properties')
    .values(rows)
    .onConflict((conflict) =>
      conflict.columns(['portal_id', 'object_type', 'object_id', 'property']).doUpdateSet({
        value: (eb) => eb.ref('excluded.value'),
        set_at: sql<number | null>`case when ${sameValue} then coalesce(excluded.set_at, record_properties.set_at) else excluded.set_at end`,
        observed_at: sql<number | null>`case when ${sameValue} then record_properties.observed_at else excluded.observed_at end`,
      }),
    )
    .execute();
}

const nullableNumber = (value: number | string | null): number | null => (value === null ? null : Number(value));
