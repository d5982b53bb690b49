import type { Kysely } from 'kysely';
import type { AssociatedRecord, AssociationPort, PortalId, RecordKey } from '../../app/ports/store-ports';
import type { ObjectType } from '../../core';
import { inChunks } from './record-keys';
import type { Database } from './schema';

export class AssociationRepository implements AssociationPort {
  constructor(private readonly db: Kysely<Database>) {}

  async replace(portalId: PortalId, key: RecordKey, associatedType: ObjectType, associated: Array<{ objectId: string; label: string }>, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // Replace, not merge: an association removed in HubSpot must disappear from the card too.
      await trx
        .deleteFrom('record_associations')
        .where('portal_id', '=', portalId)
        .where('object_type', '=', key.objectType)
        .where('object_id', '=', key.objectId)
        .where('associated_type', '=', associatedType)
        .execute();
      const unique = [...new Map(associated.map((a) => [a.objectId, a])).values()];
      for (const chunk of inChunks(unique)) {
        await trx
          .insertInto('record_associations')
          .values(
            chunk.map((a) => ({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, associated_type: associatedType, associated_id: a.objectId, label: a.label })),
          )
          .execute();
      }
      await trx
        .insertInto('association_refreshes')
        .values({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, associated_type: associatedType, refreshed_at: now })
        .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id', 'associated_type']).doUpdateSet({ refreshed_at: now }))
        .execute();
    });
  }

  async list(portalId: PortalId, key: RecordKey): Promise<{ associated: AssociatedRecord[]; refreshedAt: Partial<Record<ObjectType, number>> }> {
    const [rows, refreshes] = await Promise.all([
      this.db
        .selectFrom('record_associations')
        .select(['associated_type', 'associated_id', 'label'])
        .where('portal_id', '=', portalId)
        .where('object_type', '=', key.objectType)
        .where('object_id', '=', key.objectId)
        .orderBy('associated_type')
        .orderBy('associated_id')
        .execute(),
      this.db
        .selectFrom('association_refreshes')
        .select(['associated_type', 'refreshed_at'])
        .where('portal_id', '=', portalId)
        .where('object_type', '=', key.objectType)
        .where('object_id', '=', key.objectId)
        .execute(),
    ]);
    return {
      associated: rows.map((row) => ({ objectType: row.associated_type as ObjectType, objectId: row.associated_id, label: row.label })),
      refreshedAt: Object.fromEntries(refreshes.map((r) => [r.associated_type, Number(r.refreshed_at)])),
    };
  }
}
