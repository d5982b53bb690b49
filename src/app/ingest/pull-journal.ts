import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import type { PortalId, Store } from '../ports/store-ports';
import type { JournalPointer, WebhooksJournalPort } from '../ports/webhooks-journal-port';
import { ingestWebhookBatch } from './ingest-webhook-batch';
import { loadJournalCursor, saveJournalCursor } from './journal-cursor';
import { WebhookEventSchema, type WebhookEvent } from './webhook-event-schema';

export interface JournalPullResult {
  entries: number;
  received: number;
  stored: number;
  duplicates: number;
  /** Events of the journal we could not read (logged; the reconcile sweep repairs what they would have changed). */
  unreadable: number;
  /** The stored offset had expired (down longer than the journal keeps): the pull restarted from the earliest entry. */
  restarted: boolean;
}

/** Entries per pull: bounds one round's work; the next round goes on from the stored offset. */
export const JOURNAL_ENTRIES_PER_PULL = 500;

/**
 * Reads a portal's webhooks journal from its stored offset into the same inbox pushed webhooks land in, through the
 * same ingest use case, so an event that arrived both ways is stored once (the dedup key). The offset is saved after
 * each entry is in the inbox: a crash re-reads at most one entry, which dedup absorbs. The first pull starts at the
 * earliest entry (up to 3 days back), which is how a backend that was down catches up from the journal alone.
 */
export async function pullJournal(
  deps: { journal: WebhooksJournalPort; store: Store; clock: Clock; logger: Logger; servesPortal: (portalId: number) => boolean },
  portalId: PortalId,
  options: { maxEntries?: number } = {},
): Promise<JournalPullResult> {
  const result: JournalPullResult = { entries: 0, received: 0, stored: 0, duplicates: 0, unreadable: 0, restarted: false };
  const cursor = await loadJournalCursor(deps.store, portalId);
  let pointer: JournalPointer | null | 'expired' = cursor ? await deps.journal.next(portalId, cursor.offset) : await deps.journal.earliest(portalId);
  if (pointer === 'expired') {
    deps.logger.warn({ portalId, offset: cursor?.offset }, 'webhooks journal offset expired (down longer than the journal keeps); restarting from its earliest entry — the reconcile sweep covers the gap');
    result.restarted = true;
    pointer = await deps.journal.earliest(portalId);
  }
  const max = options.maxEntries ?? JOURNAL_ENTRIES_PER_PULL;
  while (pointer && pointer !== 'expired' && result.entries < max) {
    const events = readEvents(await deps.journal.download(pointer), portalId, deps.logger, result);
    const ingested = await ingestWebhookBatch({ inbox: deps.store.inbox, servesPortal: deps.servesPortal }, events, deps.clock.now());
    result.entries++;
    result.received += ingested.received;
    result.stored += ingested.stored;
    result.duplicates += ingested.duplicates;
    await saveJournalCursor(deps.store, portalId, { offset: pointer.offset, readAt: deps.clock.now() }, deps.clock.now());
    pointer = await deps.journal.next(portalId, pointer.offset);
  }
  if (pointer === 'expired') deps.logger.warn({ portalId }, 'webhooks journal entry expired while reading; the next pull restarts from the earliest entry');
  return result;
}

/** Loose per event, like a pushed delivery: one unreadable event is logged and skipped, never the whole entry. */
function readEvents(file: unknown, portalId: PortalId, logger: Logger, result: JournalPullResult): WebhookEvent[] {
  const raw = Array.isArray(file) ? file : [];
  if (!Array.isArray(file)) logger.warn({ portalId }, 'webhooks journal entry is not a list of events; skipped');
  const events: WebhookEvent[] = [];
  for (const item of raw) {
    const parsed = WebhookEventSchema.safeParse(item);
    if (parsed.success) events.push(parsed.data);
    else {
      result.unreadable++;
      logger.warn({ portalId, issues: parsed.error.issues.slice(0, 3), event: JSON.stringify(item).slice(0, 500) }, 'unreadable webhooks journal event skipped');
    }
  }
  return events;
}
