import type { Kysely } from 'kysely';
import type { FactEventPort, IdRange, PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString, type FactEvent, type ObjectType } from '../../core';
import { inStatementChunks, recordIn, toRecordKey } from './record-keys';
import type { Database, FactEventsTable } from './schema';

/** A fact event with the key that deduplicates it (a source id, or a digest of the event). */
type StoredFactEvent = FactEvent & { key: string };

export class FactEventRepository implements FactEventPort {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every requested record gets an entry (empty when it has no events), events in time order. */
  async getMany(portalId: PortalId, keys: RecordKey[]): Promise<Map<string, StoredFactEvent[]>> {
    const events = new Map<string, StoredFactEvent[]>(keys.map((key) => [recordKeyString(key), []]));
    for (const chunk of inStatementChunks(keys)) {
      const rows = await this.db.selectFrom('fact_events').selectAll().where('portal_id', '=', portalId).where(recordIn(chunk)).orderBy('at').orderBy('event_key').execute();
      for (const row of rows) events.get(recordKeyString(toRecordKey(row)))?.push(toFactEvent(row));
    }
    return events;
  }

  async inIdRange(portalId: PortalId, objectType: ObjectType, range: IdRange): Promise<Map<string, StoredFactEvent[]>> {
    const rows = await this.db
      .selectFrom('fact_events')
      .select(['object_id', 'event_key', 'type', 'at', 'source_id', 'attrs'])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .$if(range.after !== null, (q) => q.where('object_id', '>', range.after as string))
      .where('object_id', '<=', range.last)
      .orderBy('object_id')
      .orderBy('at')
      .orderBy('event_key')
      .execute();
    const events = new Map<string, StoredFactEvent[]>();
    let list: StoredFactEvent[] = [];
    let id: string | null = null;
    for (const row of rows) {
      if (row.object_id !== id) {
        id = row.object_id;
        list = [];
        events.set(id, list);
      }
      list.push(toFactEvent(row));
    }
    return events;
  }
}

/** Adds a record's newly seen events; an event key already stored is kept as it was (first sighting wins). */
export async function insertFactEvents(db: Kysely<Database>, portalId: PortalId, key: RecordKey, events: StoredFactEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('fact_events')
    .values(events.map((event) => factEventRow(portalId, key, event)))
    .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id', 'event_key']).doNothing())
    .execute();
}

function toFactEvent(row: Omit<FactEventsTable, 'portal_id' | 'object_type' | 'object_id'>): StoredFactEvent {
  return {
    key: row.event_key,
    type: row.type as FactEvent['type'],
    at: row.at,
    ...(row.source_id === null ? {} : { id: row.source_id }),
    ...(row.attrs === null ? {} : { attrs: JSON.parse(row.attrs) as NonNullable<FactEvent['attrs']> }),
  };
}

/** insertFactEvents for many records in multi-row statements (inStatementChunks); same rows, same conflict rule. */
export async function insertFactEventsOfRecords(db: Kysely<Database>, portalId: PortalId, records: ReadonlyArray<{ key: RecordKey; events: StoredFactEvent[] }>): Promise<void> {
  const rows = records.flatMap(({ key, events }) => events.map((event) => factEventRow(portalId, key, event)));
  for (const chunk of inStatementChunks(rows)) {
    await db
      .insertInto('fact_events')
      .values(chunk)
      .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id', 'event_key']).doNothing())
      .execute();
  }
}

function factEventRow(portalId: PortalId, key: RecordKey, event: StoredFactEvent): FactEventsTable {
  return {
    portal_id: portalId,
    object_type: key.objectType,
    object_id: key.objectId,
    event_key: event.key,
    type: event.type,
    at: event.at,
    source_id: event.id ?? null,
    attrs: event.attrs === undefined ? null : JSON.stringify(event.attrs),
  };
}
