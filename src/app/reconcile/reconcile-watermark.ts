import type { PortalId, Store } from '../ports/store-ports';

/** Named per-portal cursor (store.cursors): contacts modified up to this instant have been reconciled. */
export const RECONCILE_WATERMARK = 'reconcile:contacts';

export async function loadWatermark(store: Store, portalId: PortalId): Promise<number | null> {
  const stored = await store.cursors.get(portalId, RECONCILE_WATERMARK);
  return stored ? Number(stored.value) : null;
}

export async function saveWatermark(store: Store, portalId: PortalId, watermark: number, now: number): Promise<void> {
  await store.cursors.set(portalId, RECONCILE_WATERMARK, String(watermark), now);
}
