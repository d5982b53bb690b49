import type { Kysely } from 'kysely';
import type { Cursor, CursorPort, PortalId } from '../../app/ports/store-ports';
import type { Database } from './schema';

/** Named positions per portal (e.g. how far a backfill or a poll got), overwritten in place. */
export class CursorRepository implements CursorPort {
  constructor(private readonly db: Kysely<Database>) {}

  async get(portalId: PortalId, name: string): Promise<Cursor | null> {
    const row = await this.db.selectFrom('cursors').select(['name', 'value', 'updated_at']).where('portal_id', '=', portalId).where('name', '=', name).executeTakeFirst();
    return row === undefined ? null : { name: row.name, value: row.value, updatedAt: row.updated_at };
  }

  async set(portalId: PortalId, name: string, value: string, now: number): Promise<void> {
    await this.db
      .insertInto('cursors')
      .values({ portal_id: portalId, name, value, updated_at: now })
      .onConflict((conflict) => conflict.columns(['portal_id', 'name']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}
