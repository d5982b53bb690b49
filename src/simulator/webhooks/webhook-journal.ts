import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { WebhookEvent } from './webhook-event';

/** HubSpot keeps "changes that occurred for your subscriptions over the past 3 days" (journal-entries guide). */
export const JOURNAL_RETENTION_MS = 3 * 86_400_000;
/** Events per journal entry (one file): the simulator cuts entries like push batches; HubSpot's size is UNVERIFIED. */
export const EVENTS_PER_ENTRY = 100;
/** How long an entry's pre-signed download URL stays valid (UNVERIFIED: HubSpot only says it expires, `expiresAt`). */
export const FILE_URL_LIFETIME_MS = 15 * 60_000;

export interface JournalEntry {
  offset: string;
  portalId: number;
  appId: number;
  at: number;
  events: WebhookEvent[];
}

/** An ordered run of entries with O(1) lookup by offset; old entries leave from the front. */
class EntryLog {
  private entries: JournalEntry[] = [];
  private dropped = 0;
  private readonly positions = new Map<string, number>();

  append(entry: JournalEntry): void {
    this.positions.set(entry.offset, this.dropped + this.entries.length);
    this.entries.push(entry);
  }

  prune(before: number): void {
    let n = 0;
    while (n < this.entries.length && this.entries[n]!.at < before) this.positions.delete(this.entries[n++]!.offset);
    if (n === 0) return;
    this.entries = this.entries.slice(n);
    this.dropped += n;
  }

  first(): JournalEntry | undefined {
    return this.entries[0];
  }

  last(): JournalEntry | undefined {
    return this.entries.at(-1);
  }

  /** 'unknown' when the offset expired or never existed in this log; null when nothing follows it yet. */
  after(offset: string): JournalEntry | null | 'unknown' {
    const position = this.positions.get(offset);
    if (position === undefined) return 'unknown';
    return this.entries[position - this.dropped + 1] ?? null;
  }
}

/**
 * The webhooks journal (2026-03): every event of a portal's subscriptions, in order, kept 3 days, read from an
 * offset through the global journal (all installs) or the local one (`installPortalId`). Events are recorded
 * when they happen, whether or not their push delivery succeeds — that is the journal's point.
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide.md
 */
export class WebhookJournal {
  /** Per app (the global journal) and per app and install (the local one). */
  private readonly logs = new Map<string, EntryLog>();
  private readonly byOffset = new Map<string, JournalEntry>();
  private readonly pending = new Map<number, { appId: number; events: WebhookEvent[] }>();

  constructor(private readonly clock: Clock) {}

  record(portalId: number, appId: number, event: WebhookEvent): void {
    const pending = this.pending.get(portalId) ?? { appId, events: [] };
    pending.events.push(event);
    this.pending.set(portalId, pending);
  }

  /** Cuts what was recorded since the last flush into entries (the dispatcher calls it every tick; reads too). */
  flush(): void {
    const now = this.clock.now();
    for (const [portalId, { appId, events }] of this.pending) {
      for (let i = 0; i < events.length; i += EVENTS_PER_ENTRY) {
        const entry: JournalEntry = { offset: randomUUID(), portalId, appId, at: now, events: events.slice(i, i + EVENTS_PER_ENTRY) };
        for (const key of [logKey(appId), logKey(appId, portalId)]) {
          const log = this.logs.get(key) ?? new EntryLog();
          log.append(entry);
          this.logs.set(key, log);
        }
        this.byOffset.set(entry.offset, entry);
      }
    }
    this.pending.clear();
    this.prune(now - JOURNAL_RETENTION_MS);
  }

  earliest(appId: number, portalId?: number): JournalEntry | undefined {
    return this.log(appId, portalId)?.first();
  }

  latest(appId: number, portalId?: number): JournalEntry | undefined {
    return this.log(appId, portalId)?.last();
  }

  next(offset: string, appId: number, portalId?: number): JournalEntry | null | 'unknown' {
    const log = this.log(appId, portalId);
    return log ? log.after(offset) : 'unknown';
  }

  entry(offset: string): JournalEntry | undefined {
    this.flush();
    return this.byOffset.get(offset);
  }

  private log(appId: number, portalId: number | undefined): EntryLog | undefined {
    this.flush();
    return this.logs.get(logKey(appId, portalId));
  }

  private prune(before: number): void {
    const oldest = this.byOffset.values().next();
    if (oldest.done || oldest.value.at >= before) return;
    for (const log of this.logs.values()) log.prune(before);
    for (const [offset, entry] of this.byOffset) {
      if (entry.at >= before) break;
      this.byOffset.delete(offset);
    }
  }
}

function logKey(appId: number, portalId?: number): string {
  return portalId === undefined ? `app:${appId}` : `app:${appId}:portal:${portalId}`;
}
