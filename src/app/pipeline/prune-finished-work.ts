import type { PortalId, Store } from '../ports/store-ports';

export interface RetentionPolicy {
  /** Processed inbox events and delivered outbox items older than this are deleted (default 14 days). */
  periodMs: number;
  /** Rows deleted per statement: small, so a webhook's insert never waits behind a long delete. */
  batchSize?: number;
  /** At most this many batches per table and sweep, so one sweep never holds the worker for long. */
  maxBatches?: number;
}

export const DEFAULT_RETENTION_DAYS = 14;
const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_MAX_BATCHES = 20;

/**
 * Retention (R29): the queues keep finished work only as long as it can help — HubSpot retries a delivery for about
 * 24 h, so a processed event's dedup key must outlive that, and the period gives operators time to look. The ledger,
 * states, fact events and dead letters are history and are never pruned here. Returns how many rows were deleted.
 */
export async function pruneFinishedWork(store: Pick<Store, 'inbox' | 'outbox'>, portalId: PortalId, policy: RetentionPolicy, now: number): Promise<{ inbox: number; outbox: number }> {
  const before = now - policy.periodMs;
  const batchSize = policy.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBatches = policy.maxBatches ?? DEFAULT_MAX_BATCHES;
  const pruned = { inbox: 0, outbox: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const deleted = await store.inbox.pruneCompleted(portalId, before, batchSize);
    pruned.inbox += deleted;
    if (deleted < batchSize) break;
  }
  for (let i = 0; i < maxBatches; i++) {
    const deleted = await store.outbox.pruneDelivered(portalId, before, batchSize);
    pruned.outbox += deleted;
    if (deleted < batchSize) break;
  }
  return pruned;
}
