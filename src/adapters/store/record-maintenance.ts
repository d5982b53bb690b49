import { sql, type Kysely } from 'kysely';
import type { PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString, type ObjectType } from '../../core';
import { inChunks, isRecord, recordIn, toRecordKey } from './record-keys';
import { maintainAggregatesAround } from './ledger-aggregate-repository';
import type { StoreDialect } from './database';
import type { Database } from './schema';

/** Every table that holds rows of one record. */
const RECORD_TABLES = [
  'inbox_events',
  'lifecycle_states',
  'fact_events',
  'record_properties',
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
export async function purgeRecord(db: Kysely<Database>, dialect: StoreDialect, portalId: PortalId, key: RecordKey, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('privacy_tombstones')
      .values({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, deleted_at: now })
      .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id']).doNothing())
      .execute();
    await maintainAggregatesAround(trx, dialect, portalId, { before: [key], after: [] }, async () => {
      for (const table of RECORD_TABLES) {
        await trx.deleteFrom(table).where('portal_id', '=', portalId).where(isRecord(key)).execute();
      }
    });
    // Other records' association lists name this record too.
    await trx.deleteFrom('record_associations').where('portal_id', '=', portalId).where('associated_type', '=', key.objectType).where('associated_id', '=', key.objectId).execute();
    if (key.objectType === 'contact') await redactCompanyRows(trx, portalId, key.objectId);
  });
}

/** What an erased contact is called in the rows of others (its companies' ledger rows). */
export const ERASED_CONTACT = 'A contact (erased)';

/**
 * A company's ledger rows name the contact that moved the account (core/accounts companyJourney: reason "Contact <id>
 * moved to <stage>", evidence ["contact:<id>"]), and a company state may copy such a reason. On a privacy deletion of
 * that contact they keep the move but no longer name it. Done in the database, in the purge's transaction, over the
 * portal's company rows only (never loaded into memory).
 */
async function redactCompanyRows(trx: Kysely<Database>, portalId: PortalId, contactId: string): Promise<void> {
  await trx
    .updateTable('ledger')
    .set({
      reason: sql<string>`replace(reason, ${`Contact ${contactId} moved`}, ${`${ERASED_CONTACT} moved`})`,
      evidence: JSON.stringify(['contact:(erased)']),
    })
    .where('portal_id', '=', portalId)
    .where('object_type', '=', 'company')
    .where('evidence', '=', JSON.stringify([`contact:${contactId}`]))
    .execute();
  // A company state copies the reason of its last recycle or dead end. Its version moves, so an evaluation that read
  // the state before the purge cannot write the old reason back.
  const named = `Contact ${contactId} moved`;
  await trx
    .updateTable('lifecycle_states')
    .set((eb) => ({ state: sql<string>`replace(state, ${named}, ${`${ERASED_CONTACT} moved`})`, version: eb('version', '+', 1) }))
    .where('portal_id', '=', portalId)
    .where('object_type', '=', 'company')
    .where(sql<boolean>`state like ${`%${named.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`)
    .execute();
}

/**
 * HubSpot merged records: the losers' history becomes the winner's. Ledger rows keep their transition ids (the
 * primary key is portal + transition id, so a changed object_id cannot collide, and ids other systems saw stay
 * valid); merged_from_object_id remembers where each came from. Fact events move unless the winner already has
 * the same event, property values unless the winner has the property. The losers' states go; the winner's version is bumped — an evaluation that read it before the
 * merge must not commit — and it is woken now so the scheduler re-evaluates it with the merged history.
 */
export async function mergeRecords(
  db: Kysely<Database>,
  dialect: StoreDialect,
  portalId: PortalId,
  objectType: ObjectType,
  winnerId: string,
  loserIds: string[],
  now: number,
): Promise<void> {
  const losers = [...new Set(loserIds)].filter((id) => id !== winnerId);
  if (losers.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const winner = { objectType, objectId: winnerId };
    const records = { before: [winner, ...losers.map((objectId) => ({ objectType, objectId }))], after: [winner] };
    await maintainAggregatesAround(trx, dialect, portalId, records, async () => {
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

    // Property values: the winner's are what HubSpot kept; a property only a loser had stored moves over. The winner is
    // re-read when it is re-evaluated (woken below), which brings every value up to date.
    await trx
      .insertInto('record_properties')
      .columns(['portal_id', 'object_type', 'object_id', 'property', 'value', 'set_at', 'observed_at'])
      .expression((eb) =>
        eb
          .selectFrom('record_properties')
          .select((select) => ['portal_id', 'object_type', select.val(winnerId).as('object_id'), 'property', 'value', 'set_at', 'observed_at'])
          .where('portal_id', '=', portalId)
          .where('object_type', '=', objectType)
          .where('object_id', 'in', losers),
      )
      .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id', 'property']).doNothing())
      .execute();
    await trx.deleteFrom('record_properties').where('portal_id', '=', portalId).where('object_type', '=', objectType).where('object_id', 'in', losers).execute();

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
