import type { Kysely, Migration } from 'kysely';

/**
 * provisioned_assets: the HubSpot lists and workflows the app created in each portal (issue 19), by our own key.
 * Provisioning finds them again by id instead of by name, and `revision` (the listVersion / flow revisionId our
 * last write produced) tells an admin's later edit apart from ours, so we never overwrite or delete it.
 */
export function provisionedAssets(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('provisioned_assets')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('asset_key', 'text', (col) => col.notNull())
        .addColumn('hubspot_id', 'text', (col) => col.notNull())
        .addColumn('revision', 'text', (col) => col.notNull())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('fingerprint', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('provisioned_assets_pk', ['portal_id', 'kind', 'asset_key'])
        .execute();
    },
  };
}
