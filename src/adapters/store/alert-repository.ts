import type { Kysely } from 'kysely';
import type { PortalId, RecordCommit, RecordKey } from '../../app/ports/store-ports';
import type { Database } from './schema';

/** Raises a record's alerts (owner notifications, limits hit) in the commit that found them. */
export async function insertAlerts(
  db: Kysely<Database>,
  portalId: PortalId,
  key: RecordKey,
  alerts: RecordCommit['alerts'],
  now: number,
): Promise<void> {
  if (alerts.length === 0) return;
  await db
    .insertInto('alerts')
    .values(
      alerts.map((alert) => ({
        portal_id: portalId,
        object_type: key.objectType,
        object_id: key.objectId,
        kind: alert.kind,
        message: alert.message,
        created_at: now,
      })),
    )
    .execute();
}
