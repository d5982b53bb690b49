import type { Kysely } from 'kysely';
import type { PortalId, RecordCommit, RecordKey } from '../../app/ports/store-ports';
import { isRecord } from './record-keys';
import type { Database } from './schema';

/**
 * Keeps the record's marketing pause in step with the decision: a new pause replaces the current one (and
 * un-releases it), a release stamps released_at and keeps the row as the record of the pause.
 */
export async function applyMarketingPause(db: Kysely<Database>, portalId: PortalId, key: RecordKey, pause: RecordCommit['pause'], now: number): Promise<void> {
  if (pause === null) return;
  if (pause === 'release') {
    await db.updateTable('marketing_pauses').set({ released_at: now, updated_at: now }).where('portal_id', '=', portalId).where(isRecord(key)).where('released_at', 'is', null).execute();
    return;
  }
  const values = { paused_until: pause.until, reason: pause.reason, released_at: null, updated_at: now };
  await db
    .insertInto('marketing_pauses')
    .values({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, ...values })
    .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id']).doUpdateSet(values))
    .execute();
}
