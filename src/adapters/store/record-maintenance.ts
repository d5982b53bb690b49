import type { Kysely } from 'kysely';
import type { PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString, type ObjectType } from '../../core';
import { inChunks, isRecord, recordIn, toRecordKey } from './record-keys';
import { maintainAggregatesAround } from './ledger-aggregate-repository';
import type { Database } from './schema';

/** Every table that holds rows of one record. */
const RECORD_TABLES = [
  'inbox_events',
  'lifecycle_states',
  'fact_events',
  'ledger',
  'outbox',
  'marketing_pauses',
  'alerts',
  'dead_letters',
  'record_associations',
  'association_refreshes',
  'workflow_action_executions',
] as const satisfies ReadonlyArray<keyof Database>;

/**
 * Privacy deletion: every row of the record, in every table (the ledger aggregates lose its contribution), in one transaction, and a tombstone (keys only) so
 * that events still in flight for it are dropped rather than stored again. Idempotent.
 */
export async function purgeRecord(db: Kysely<Database>, portalId: PortalId, key: RecordKey, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('privacy_tombstones')
      .values({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, deleted_at: now })
      .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id']).doNothing())
      .execute();
    await maintainAggregatesAround(trx, portalId, { before: [key], after: [] }, async () => {
      for (const table of RECORD_TABLES) {
        await trx.deleteFrom(table).where('portal_id', '=', portalId).where(isRecord(key)).execute();
      }
    });
    // Other records' association lists name this record too.
    await trx.deleteFrom('record_associations').where('portal_id', '=', portalId).where('associated_type', '=', key.objectType).where('associated_id', '=', key.objectId).execute();
  });
}

/**
 * HubSpot merged records: the losers' history becomes the winner's. Ledger rows keep their transition ids (the
 * primary key is portal + transition id, so a changed object_id cannot collide, and ids other systems saw stay
 * valid); merged_from_object_id remembers where each came from. Fact events move unless the winner already has
 * the same event. The losers' states go; the winner's version is bumped — an evaluation that read it before the
 * merge must not commit — and it is woken now so the scheduler re-evaluates it with the merged history.
 */
export async function mergeRecords(db: Kysely<Database>, portalId: PortalId, objectType: ObjectType, winnerId: string, loserIds: string[], now: number): Promise<void> {
  const losers = [...new Set(loserIds)].filter((id) => id !== winnerId);
  if (losers.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const winner = { objectType, objectId: winnerId };
    const records = { before: [winner, ...losers.map((objectId) => ({ objectType, objectId }))], after: [winner] };
    await maintainAggregatesAround(trx, portalId, records, async () => {
      await trx
        .updateTable('ledger')
        .set((eb) => ({ object_id: winnerId, merged_from_object_id: eb.fn.coalesce('merged_from_object_id', 'object_id') }))
        .where('portal_id', '=', portalId)
        .where('object_type', '=', objectType)
        .where('object_id', 'in', losers)
        .execute();
    });

    await trx
      .insertInto('fact_events')
      .columns(['portal_id', 'object_type', 'object_id', 'event_key', 'type', 'at', 'source_id', 'attrs'])
      .expression((eb) =>
        eb
          .selectFrom('fact_events')
          .select((select) => ['portal_id', 'object_type', select.val(winnerId).as('object_id'), 'event_key', 'type', 'at', 'source_id', 'attrs'])
          .where('portal_id', '=', portalId)
          .where('object_type', '=', objectType)
          .where('object_id', 'in', losers),
      )
      .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id', 'event_key']).doNothing())
      .execute();
    await trx.deleteFrom('fact_events').where('portal_id', '=', portalId).where('object_type', '=', objectType).where('object_id', 'in', losers).execute();

    await trx.deleteFrom('lifecycle_states').where('portal_id', '=', portalId).where('object_type', '=', objectType).where('object_id', 'in', losers).execute();
    await trx
      .updateTable('lifecycle_states')
      .set((eb) => ({ version: eb('version', '+', 1), wake_at: now, updated_at: now }))
      .where('portal_id', '=', portalId)
      .where(isRecord({ objectType, objectId: winnerId }))
      .execute();
  });
}

/** Which of these records a privacy deletion erased (as `recordKey` strings). */
export async function erasedRecords(db: Kysely<Database>, portalId: PortalId, keys: readonly RecordKey[]): Promise<Set<string>> {
  const erased = new Set<string>();
  for (const part of inChunks([...new Map(keys.map((k) => [recordKeyString(k), k])).values()])) {
    const rows = await db.selectFrom('privacy_tombstones').select(['object_type', 'object_id']).where('portal_id', '=', portalId).where(recordIn(part)).execute();
    for (const row of rows) erased.add(recordKeyString(toRecordKey(row)));
  }
  return erased;
}
