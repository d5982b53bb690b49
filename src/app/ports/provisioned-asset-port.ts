import type { PortalId } from './store-ports';

/** What `provision` and `lifecycle workflows install` created in a portal: a HubSpot list or workflow. */
export type ProvisionedAssetKind = 'list' | 'workflow';

export interface ProvisionedAsset {
  kind: ProvisionedAssetKind;
  /** Our stable name for it, e.g. `marketing_paused` or `sla_past_due:mql` (not HubSpot's display name). */
  key: string;
  hubspotId: string;
  /** The HubSpot revision our last write produced (a list's listVersion, a flow's revisionId): a newer one means an admin edited it. */
  revision: string;
  /** The display name we gave it. */
  name: string;
  /** Fingerprint of the definition we last wrote, so a changed model shows as "our definition changed". */
  fingerprint: string;
  updatedAt: number;
}

/** Per-portal registry of HubSpot assets the app created; no method reads across portals. */
export interface ProvisionedAssetPort {
  list(portalId: PortalId, kind: ProvisionedAssetKind): Promise<ProvisionedAsset[]>;
  /** Inserts or overwrites the row for (portal, kind, key). */
  save(portalId: PortalId, asset: ProvisionedAsset): Promise<void>;
  remove(portalId: PortalId, kind: ProvisionedAssetKind, key: string): Promise<void>;
}
