import type { Kysely } from 'kysely';
import type { Alert, AlertPort, PortalAlert, PortalId, RecordCommit, RecordKey } from '../../app/ports/store-ports';
import { inStatementChunks } from './record-keys';
import type { Database } from './schema';

/** Raises a record's alerts (owner notifications, limits hit) in the commit that found them. */
export async function insertAlerts(db: Kysely<Database>, portalId: PortalId, key: RecordKey, alerts: RecordCommit['alerts'], now: number): Promise<void> {
  await insertAlertsOfRecords(db, portalId, [{ key, alerts }], now);
}

/** Several records' alerts in multi-row inserts (inStatementChunks), in the order given. */
export async function insertAlertsOfRecords(
  db: Kysely<Database>,
  portalId: PortalId,
  records: ReadonlyArray<{ key: RecordKey; alerts: RecordCommit['alerts'] }>,
  now: number,
): Promise<void> {
  const rows = records.flatMap(({ key, alerts }) =>
    alerts.map((alert) => ({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, kind: alert.kind, message: alert.message, created_at: now })),
  );
  for (const chunk of inStatementChunks(rows)) await db.insertInto('alerts').values(chunk).execute();
}

/** The object a portal-level alert is raised on: the portal itself (alerts are otherwise per record). */
export const PORTAL_ALERT_OBJECT = 'portal';

/** Portal-level alerts: limits hit, a model that does not fit the portal's own stages. */
export class AlertRepository implements AlertPort {
  constructor(private readonly db: Kysely<Database>) {}

  async raiseForPortal(portalId: PortalId, alert: Pick<Alert, 'kind' | 'message'>, now: number, onceSince: number): Promise<boolean> {
    // Check and insert in one transaction (serialized on SQLite); two PostgreSQL workers racing may both raise it,
    // which costs a duplicate line, never a lost alert.
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('alerts')
        .select('id')
        .where('portal_id', '=', portalId)
        .where('object_type', '=', PORTAL_ALERT_OBJECT)
        .where('kind', '=', alert.kind)
        .where('message', '=', alert.message)
        .where('created_at', '>=', onceSince)
        .executeTakeFirst();
      if (existing) return false;
      await trx
        .insertInto('alerts')
        .values({ portal_id: portalId, object_type: PORTAL_ALERT_OBJECT, object_id: String(portalId), kind: alert.kind, message: alert.message, created_at: now })
        .execute();
      return true;
    });
  }

  async forPortal(portalId: PortalId): Promise<PortalAlert[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['kind', 'message', 'created_at'])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', PORTAL_ALERT_OBJECT)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ kind: row.kind as Alert['kind'], message: row.message, createdAt: Number(row.created_at) }));
  }

  async recentForPortal(portalId: PortalId, kind: Alert['kind'], limit: number): Promise<PortalAlert[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['kind', 'message', 'created_at'])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', PORTAL_ALERT_OBJECT)
      .where('kind', '=', kind)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ kind: row.kind as Alert['kind'], message: row.message, createdAt: Number(row.created_at) }));
  }
}
