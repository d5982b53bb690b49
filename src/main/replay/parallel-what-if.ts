import { availableParallelism } from 'node:os';
import type { HubSpotPort } from '../../app/ports/hubspot-port';
import type { PortalId, Store } from '../../app/ports/store-ports';
import { combineWhatIf, whatIfFunnel, whatIfLedger, type ContactSpan, type ReplayProgress, type WhatIfReplayer } from '../../app/replay/what-if-ledger';
import { replayInWorker, type StoreLocation } from './what-if-worker';

/**
 * Below this many contacts one thread is as quick: each worker loads the app, opens the store and warms up again, about
 * 1.5 s of CPU for two (B8 --quick, 10,000 contacts: 0.31 ms of CPU per contact on two threads, 0.16 on one).
 */
export const PARALLEL_REPLAY_MIN_CONTACTS = 50_000;
/** Threads at most: the replay's work is CPU, and each thread holds a batch and its connection. */
const MAX_PARTS = 4;

/**
 * The what-if replay split across threads: the portal's contacts in consecutive spans of ids, one per core (at most
 * MAX_PARTS), each replayed from the store alone by a worker thread with its own store connection, the parts joined
 * in order (combineWhatIf: the same result as one thread). Peak memory is the process's, workers included: each holds
 * one batch and its part's sums of the window.
 *
 * One thread (whatIfLedger here) when the portal is small, when there is one core, and when a part finds properties
 * the store does not hold while `hubspot` can read them: the replay is then bound by HubSpot's rate limit, and
 * replays on this thread with HubSpot, as before.
 */
export function parallelWhatIf(deps: {
  store: Pick<Store, 'ledger' | 'factEvents' | 'recordProperties'>;
  hubspot: HubSpotPort | null;
  onProgress?: (progress: ReplayProgress) => void;
  /** Where the workers open the same store. */
  database: StoreLocation;
  /** Threads (default: the cores, at most MAX_PARTS) and the fewest contacts worth splitting (tests set both). */
  parts?: number;
  minContacts?: number;
  /** Contact ids read per step while splitting (default SPLIT_PAGE): spans end at a step's last id. */
  splitPage?: number;
}): WhatIfReplayer {
  return async (portalId, model, until, window) => {
    const parts = Math.min(deps.parts ?? availableParallelism(), MAX_PARTS);
    const spans = parts > 1 ? await contactSpans(deps.store, portalId, parts, deps.minContacts ?? PARALLEL_REPLAY_MIN_CONTACTS, deps.splitPage ?? SPLIT_PAGE) : [];
    if (spans.length < 2) return whatIfFunnel(await whatIfLedger(deps, portalId, model, until, window));
    const progress = spans.map(() => ({ contacts: 0, hubspotReads: 0 }));
    const results = await Promise.all(
      spans.map((span, i) =>
        replayInWorker(deps.database, portalId, model, until, window, span, {
          onProgress: (p) => {
            progress[i] = p;
            deps.onProgress?.({ contacts: progress.reduce((sum, x) => sum + x.contacts, 0), hubspotReads: 0 });
          },
        }),
      ),
    );
    const whole = combineWhatIf(window, results);
    return whatIfFunnel(whole.unreadable && deps.hubspot ? await whatIfLedger(deps, portalId, model, until, window) : whole);
  };
}

/** Contact ids read per step while splitting; the split remembers one id per step. */
export const SPLIT_PAGE = 5_000;

/**
 * Up to `parts` consecutive spans of contact ids with about as many contacts each, covering every contact of the
 * ledger (the last one open-ended): one walk over the ids, a page at a time, remembering each page's last id and how
 * many ids came before it (memory: one id per SPLIT_PAGE contacts). No spans when the ledger has fewer than `minimum`.
 */
export async function contactSpans(store: Pick<Store, 'ledger'>, portalId: PortalId, parts: number, minimum: number, pageSize: number): Promise<ContactSpan[]> {
  const pageEnds: Array<{ last: string; upTo: number }> = [];
  let total = 0;
  for (let after: string | null = null; ;) {
    const page = await store.ledger.recordIds(portalId, 'contact', after, pageSize);
    if (page.length === 0) break;
    after = page.at(-1)!;
    total += page.length;
    pageEnds.push({ last: after, upTo: total });
  }
  if (total < minimum) return [];
  const spans: ContactSpan[] = [];
  let start: string | null = null;
  let next = 0;
  for (let part = 1; part < parts; part++) {
    // The first page end at or past this part's share, after the previous span's end and before the last id.
    while (next < pageEnds.length && (pageEnds[next]!.upTo < (total * part) / parts || pageEnds[next]!.upTo === total)) next++;
    const end = pageEnds[next++];
    if (!end || end.upTo === total) break;
    spans.push({ after: start, last: end.last });
    start = end.last;
  }
  spans.push({ after: start, last: null });
  return spans;
}
