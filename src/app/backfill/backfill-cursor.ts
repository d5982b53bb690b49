import { z } from 'zod';
import type { PortalId, Store } from '../ports/store-ports';

/** Named per-portal cursor (store.cursors) of the contact backfill. */
export const BACKFILL_CURSOR = 'backfill:contacts';

export const BackfillCursorSchema = z.object({
  /** The last hs_object_id whose page is committed; null before the first page. */
  lastId: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  scanned: z.number().int().nonnegative(),
});
export type BackfillCursor = z.infer<typeof BackfillCursorSchema>;

export async function loadBackfillCursor(store: Store, portalId: PortalId): Promise<BackfillCursor | null> {
  const stored = await store.cursors.get(portalId, BACKFILL_CURSOR);
  return stored ? BackfillCursorSchema.parse(JSON.parse(stored.value)) : null;
}

export async function saveBackfillCursor(store: Store, portalId: PortalId, cursor: BackfillCursor, now: number): Promise<void> {
  await store.cursors.set(portalId, BACKFILL_CURSOR, JSON.stringify(cursor), now);
}
