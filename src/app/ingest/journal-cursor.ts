import { z } from 'zod';
import type { PortalId, Store } from '../ports/store-ports';

/** Named per-portal cursor (store.cursors) of the webhooks journal pull. */
export const JOURNAL_CURSOR = 'webhooks-journal:local';

export const JournalCursorSchema = z.strictObject({
  /** The offset of the last journal entry whose events are in the inbox. */
  offset: z.string().min(1),
  /** When that entry was read (for the operator: how far behind the pull is). */
  readAt: z.number(),
});
export type JournalCursor = z.infer<typeof JournalCursorSchema>;

export async function loadJournalCursor(store: Store, portalId: PortalId): Promise<JournalCursor | null> {
  const stored = await store.cursors.get(portalId, JOURNAL_CURSOR);
  return stored ? JournalCursorSchema.parse(JSON.parse(stored.value)) : null;
}

export async function saveJournalCursor(store: Store, portalId: PortalId, cursor: JournalCursor, now: number): Promise<void> {
  await store.cursors.set(portalId, JOURNAL_CURSOR, JSON.stringify(cursor), now);
}
