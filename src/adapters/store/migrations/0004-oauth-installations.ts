import type { Kysely, Migration } from 'kysely';

/**
 * OAuth public-app installs (docs/oauth.md):
 * - installations: one row per HubSpot account (portal_id = the token's hub_id) with its granted scopes and its
 *   tokens SEALED (AES-256-GCM, key from the environment; encryption_key_id names the key for rotation). A revoked
 *   or uninstalled portal keeps its row (status, when, why) but no tokens.
 * - oauth_install_states: the single-use `state` of install flows in progress (CSRF). The one table not keyed by
 *   portal: before the callback nobody knows which account will be chosen.
 */
export function oauthInstallations(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('installations')
        .addColumn('portal_id', 'bigint', (col) => col.primaryKey())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('hub_domain', 'text')
        .addColumn('scopes', 'text', (col) => col.notNull())
        .addColumn('access_token_sealed', 'text')
        .addColumn('access_token_issued_at', 'bigint')
        .addColumn('access_token_expires_at', 'bigint')
        .addColumn('refresh_token_sealed', 'text')
        .addColumn('encryption_key_id', 'text')
        .addColumn('installed_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addColumn('uninstalled_at', 'bigint')
        .execute();

      await db.schema
        .createTable('oauth_install_states')
        .addColumn('state_id', 'text', (col) => col.primaryKey())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .addColumn('consumed_at', 'bigint')
        .execute();
      await db.schema.createIndex('oauth_install_states_expiry_idx').on('oauth_install_states').column('expires_at').execute();
    },
  };
}
