import type { DeadLetterLine, SyncHealthView } from '../../contracts/page-api';
import type { PortalId, Store } from '../ports/store-ports';
import type { BackfillJobs } from './backfill-jobs';
import type { RateLimitTally } from './rate-limit-tally';

/** How many dead letters the page lists (newest first); the CLI (`lifecycle dead-letters list`) shows them all. */
export const DEAD_LETTERS_SHOWN = 25;
/** How many daily-limit parkings the page lists. */
const DAILY_LIMIT_SHOWN = 5;

export interface SyncHealthDeps {
  store: Pick<Store, 'inbox' | 'outbox' | 'deadLetters' | 'alerts' | 'cursors'>;
  rateLimits: RateLimitTally;
  backfills: BackfillJobs;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * What the Sync health page shows for one portal, from what /metrics, the dead letters and the backfill cursor
 * already know. Every read is bounded by the queue or by a fixed count (indexes of migration 0013), not by history.
 */
export async function loadSyncHealth(deps: SyncHealthDeps, portalId: PortalId, now: number): Promise<SyncHealthView> {
  const { store } = deps;
  const [inboxPending, outboxPending, received, inboxFailing, outboxFailing, letters, alerts, backfill] = await Promise.all([
    store.inbox.pendingCount(portalId),
    store.outbox.pendingCount(portalId),
    store.inbox.receivedTimes(portalId),
    store.inbox.failingSince(portalId),
    store.outbox.failingSince(portalId),
    store.deadLetters.list(portalId, { limit: DEAD_LETTERS_SHOWN }),
    store.alerts.recentForPortal(portalId, 'daily_limit', DAILY_LIMIT_SHOWN),
    deps.backfills.state(portalId),
  ]);
  const failing = [inboxFailing, outboxFailing].filter((t): t is number => t !== null);
  return {
    queues: {
      inboxPending,
      outboxPending,
      lagSeconds: received.oldestWaitingReceivedAt === null ? null : Math.max(0, (now - received.oldestWaitingReceivedAt) / 1000),
      failingSince: iso(failing.length === 0 ? null : Math.min(...failing)),
    },
    lastWebhookReceivedAt: iso(received.lastReceivedAt),
    rateLimits: { tooManyRequests: deps.rateLimits.count(portalId, now), windowMinutes: Math.round(deps.rateLimits.windowMs / 60_000) },
    dailyLimit: alerts.map((alert) => ({ message: alert.message, raisedAt: new Date(alert.createdAt).toISOString() })),
    deadLetters: {
      items: letters.map((letter): DeadLetterLine => ({
        id: letter.id,
        source: letter.source,
        record: `${letter.objectType}:${letter.objectId}`,
        reason: letter.reason,
        failedAt: new Date(letter.failedAt).toISOString(),
        retryable: letter.source !== 'webhook',
      })),
      shown: DEAD_LETTERS_SHOWN,
    },
    backfill,
  };
}
