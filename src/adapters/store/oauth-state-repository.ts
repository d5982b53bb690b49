import type { Kysely } from 'kysely';
import type { OAuthStatePort } from '../../app/ports/store-ports';
import type { Database } from './schema';

/** Single-use install states. Consuming is one conditional UPDATE, so two callbacks racing with one state: one wins. */
export class OAuthStateRepository implements OAuthStatePort {
  constructor(private readonly db: Kysely<Database>) {}

  async save(stateId: string, expiresAt: number, now: number): Promise<void> {
    // Abandoned flows leave rows behind; each new flow sweeps the expired ones so the table stays small.
    await this.db.deleteFrom('oauth_install_states').where('expires_at', '<', now).execute();
    await this.db.insertInto('oauth_install_states').values({ state_id: stateId, created_at: now, expires_at: expiresAt, consumed_at: null }).execute();
  }

  async consume(stateId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('oauth_install_states')
      .set({ consumed_at: now })
      .where('state_id', '=', stateId)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
