import type { Logger } from 'pino';
import type { PortalId } from '../ports/store-ports';
import { loadWatermark, saveWatermark } from '../reconcile/reconcile-watermark';
import { loadBackfillCursor, saveBackfillCursor, type BackfillCursor } from './backfill-cursor';
import { scanProperties } from './contact-read-properties';
import { inUnits, scanById, SEARCH_PAGE_LIMIT, type ScanPage } from './contact-id-scan';
import { flushWrites } from './flush-writes';
import { hasHistoryToReplay } from './needs-history';
import { readAhead } from './read-ahead';
import { addTally, emptyTally, syncContacts, type SyncDeps, type SyncTally } from './sync-contacts';

export interface BackfillDeps extends SyncDeps {
  logger: Logger;
}

export interface BackfillProgress {
  scanned: number;
  /** Contacts of the portal this run will have scanned when done (from search's total). */
  total: number;
}

export interface BackfillOptions {
  /** Start over from the first contact even if a previous backfill finished. */
  restart?: boolean;
  /**
   * Contacts per committed unit (default 5,000 = 25 search pages): reads are batched across the pages of a unit,
   * and the cursor is saved after each unit, so a crash repeats at most one unit. The unit bounds memory: the
   * backfill holds the unit being written, the next one being gathered and one unit of search pages ahead.
   */
  commitEvery?: number;
  /** Search page size (≤ 200; tests use small pages). */
  pageSize?: number;
  onProgress?: (progress: BackfillProgress) => void;
  /** Stop after the unit in flight is committed (Ctrl-C); the next run resumes from the cursor. */
  signal?: AbortSignal;
}

export type BackfillOutcome = 'finished' | 'already_finished' | 'stopped';

export interface BackfillSummary extends SyncTally {
  outcome: BackfillOutcome;
  portalId: PortalId;
  /** The cursor this run started from (null = the first contact). */
  resumedAfter: string | null;
  writeCalls: number;
}

export const DEFAULT_COMMIT_EVERY = 5_000;

/**
 * Search pages held ahead of the unit being gathered: one unit's worth (at least two pages). Counted in pages, not
 * units, so what is held ahead is bounded by the unit size: the records in memory are at most three units (the one
 * being written, the next one being gathered, one unit of pages ahead), where whole units read ahead held four.
 */
export function searchPagesAhead(commitEvery: number, pageSize: number): number {
  return Math.max(2, Math.ceil(commitEvery / pageSize));
}

/** A scan's pages in commit units, with one unit of pages searched ahead (searchPagesAhead). */
export function commitUnits(pages: AsyncIterable<ScanPage>, commitEvery: number, pageSize: number): AsyncGenerator<ScanPage, void> {
  return inUnits(readAhead(pages, searchPagesAhead(commitEvery, pageSize)), { max: commitEvery, min: Math.min(2 * pageSize, commitEvery) });
}

/**
 * Onboarding: every existing contact of a portal, scanned in hs_object_id order by CRM search (200 per page on the
 * search budget, so the 10 s burst budget is left to history reads and writes, which run alongside), replayed
 * through the engine into the ledger, and written back only where HubSpot does not already show our values.
 * Resumable: the cursor is saved after each committed unit. A finished backfill is not repeated unless `restart`;
 * repeating it adds no ledger row twice (ledger rows are keyed by transition id).
 */
export async function runBackfill(deps: BackfillDeps, portalId: PortalId, options: BackfillOptions = {}): Promise<BackfillSummary> {
  const previous = await loadBackfillCursor(deps.store, portalId);
  const summary: BackfillSummary = { ...emptyTally(), outcome: 'finished', portalId, resumedAfter: null, writeCalls: 0 };
  if (previous?.finishedAt != null && !options.restart) return { ...summary, outcome: 'already_finished', resumedAfter: previous.lastId };

  const resume = previous && previous.finishedAt == null && !options.restart;
  let cursor: BackfillCursor = resume ? previous : { lastId: null, startedAt: deps.clock.now(), finishedAt: null, scanned: 0 };
  summary.resumedAfter = cursor.lastId;
  const delivery = { store: deps.store, hubspot: () => deps.hubspot, clock: deps.clock, logger: deps.logger, workerId: deps.workerId };
  const pageSize = Math.min(options.pageSize ?? SEARCH_PAGE_LIMIT, SEARCH_PAGE_LIMIT);
  const commitEvery = options.commitEvery ?? DEFAULT_COMMIT_EVERY;
  const pages = scanById({ hubspot: deps.hubspot, clock: deps.clock, objectType: 'contact', properties: scanProperties(deps.model), afterId: cursor.lastId, pageSize });
  // Search keeps going while a unit is read and written (the next unit is gathered from pages already searched, and
  // the search budget refills the pages ahead meanwhile), so a unit that takes longer to read and write than the
  // next takes to search does not leave the search budget idle.
  const units = commitUnits(pages, commitEvery, pageSize)[Symbol.asyncIterator]();
  const firstSeen = (record: Parameters<typeof hasHistoryToReplay>[0], stored: unknown) => stored === null && hasHistoryToReplay(record);
  let total: number | null = null;

  // The next unit's search pages are fetched while this unit is read, decided and written: search and the burst
  // budget are separate limits, so the backfill takes the longer of the two, not their sum.
  let next = units.next();
  for (;;) {
    const { value: unit, done } = await next;
    if (done) break;
    total ??= cursor.scanned + unit.remaining;
    if (!options.signal?.aborted) next = units.next();
    addTally(summary, await syncContacts(deps, portalId, unit.records, { readHistoryOf: firstSeen, notifyOwners: false, deferCompaniesWithContactsAfter: unit.lastId }));
    summary.writeCalls += await flushWrites(delivery, portalId, { final: false });
    cursor = { ...cursor, lastId: unit.lastId, scanned: cursor.scanned + unit.records.length };
    await saveBackfillCursor(deps.store, portalId, cursor, deps.clock.now());
    options.onProgress?.({ scanned: cursor.scanned, total: Math.max(total, cursor.scanned) });
    if (options.signal?.aborted) {
      summary.writeCalls += await flushWrites(delivery, portalId, { final: true });
      return { ...summary, outcome: 'stopped' };
    }
  }

  summary.writeCalls += await flushWrites(delivery, portalId, { final: true });
  await saveBackfillCursor(deps.store, portalId, { ...cursor, finishedAt: deps.clock.now() }, deps.clock.now());
  // Contacts kept changing while we scanned (and search lags): the first reconcile sweep starts where the backfill
  // began, less the sweep's own consistency margin.
  if ((await loadWatermark(deps.store, portalId)) === null) await saveWatermark(deps.store, portalId, cursor.startedAt, deps.clock.now());
  options.onProgress?.({ scanned: cursor.scanned, total: cursor.scanned });
  return summary;
}
