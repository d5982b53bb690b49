import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import type { PortalId, Store } from '../ports/store-ports';
import type { JournalPointer, WebhooksJournalPort } from '../ports/webhooks-journal-port';
import { ingestWebhookBatch } from './ingest-webhook-batch';
import { loadJournalCursor, saveJournalCursor } from './journal-cursor';
import { parseDelivery } from './parse-delivery';

export interface JournalPullResult {
  entries: number;
  received: number;
  stored: number;
  duplicates: number;
  /** Events of the journal we could not use: quarantined in the dead letters with their raw JSON, like pushed ones. */
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
    deps.logger.warn(
      { portalId, offset: cursor?.offset },
      'webhooks journal offset expired (down longer than the journal keeps); restarting from its earliest entry — the reconcile sweep covers the gap',
    );
    result.restarted = true;
    pointer = await deps.journal.earliest(portalId);
  }
  const max = options.maxEntries ?? JOURNAL_ENTRIES_PER_PULL;
  while (pointer && pointer !== 'expired' && result.entries < max) {
    // The same parse as a pushed delivery: an event we cannot use is quarantined with its raw JSON, never dropped.
    const delivery = parseDelivery(JSON.stringify(await deps.journal.download(pointer)), portalId);
    result.unreadable += delivery.unusable.length;
    if (delivery.unusable.length > 0) deps.logger.warn({ portalId, unusable: delivery.unusable.length }, 'unusable webhooks journal events quarantined in the dead letters');
    const ingested = await ingestWebhookBatch({ inbox: deps.store.inbox, deadLetters: deps.store.deadLetters, servesPortal: deps.servesPortal }, delivery, deps.clock.now());
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
