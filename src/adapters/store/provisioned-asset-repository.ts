import type { Kysely, Selectable } from 'kysely';
import type { ProvisionedAsset, ProvisionedAssetKind, ProvisionedAssetPort } from '../../app/ports/provisioned-asset-port';
import type { PortalId } from '../../app/ports/store-ports';
import type { Database, ProvisionedAssetsTable } from './schema';

/** The lists and workflows the app created per portal (migration 0007). */
export class ProvisionedAssetRepository implements ProvisionedAssetPort {
  constructor(private readonly db: Kysely<Database>) {}

  async list(portalId: PortalId, kind: ProvisionedAssetKind): Promise<ProvisionedAsset[]> {
    const rows = await this.db.selectFrom('provisioned_assets').selectAll().where('portal_id', '=', portalId).where('kind', '=', kind).orderBy('asset_key').execute();
    return rows.map(toAsset);
  }

  async save(portalId: PortalId, asset: ProvisionedAsset): Promise<void> {
    const values = { hubspot_id: asset.hubspotId, revision: asset.revision, name: asset.name, fingerprint: asset.fingerprint, updated_at: asset.updatedAt };
    await this.db
      .insertInto('provisioned_assets')
      .values({ portal_id: portalId, kind: asset.kind, asset_key: asset.key, ...values })
      .onConflict((c) => c.columns(['portal_id', 'kind', 'asset_key']).doUpdateSet(values))
      .execute();
  }

  async remove(portalId: PortalId, kind: ProvisionedAssetKind, key: string): Promise<void> {
    await this.db.deleteFrom('provisioned_assets').where('portal_id', '=', portalId).where('kind', '=', kind).where('asset_key', '=', key).execute();
  }
}

function toAsset(row: Selectable<ProvisionedAssetsTable>): ProvisionedAsset {
  return {
    kind: row.kind as ProvisionedAssetKind,
    key: row.asset_key,
    hubspotId: row.hubspot_id,
    revision: row.revision,
    name: row.name,
    fingerprint: row.fingerprint,
    updatedAt: Number(row.updated_at),
  };
}
