import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { HubSpotPort } from '../../app/ports/hubspot-port';
import type { PortalId, Store } from '../../app/ports/store-ports';
import { combineWhatIf, whatIfLedger, type ContactSpan, type ReplayProgress, type WhatIfLedger, type WhatIfReplayer } from '../../app/replay/what-if-ledger';
import { LedgerAggregates, type AggregateCounts, type CompiledModel } from '../../core';

/**
 * Below this many contacts one thread is as quick: each worker loads the app, opens the store and warms up again, about
 * 1.5 s of CPU for two (B8 --quick, 10,000 contacts: 0.31 ms of CPU per contact on two threads, 0.16 on one).
 */
export const PARALLEL_REPLAY_MIN_CONTACTS = 50_000;
/**
 * Each worker's old space: its part's aggregates and one batch fit in a fraction of it, and without a bound V8 lets a
 * heap with a high allocation rate grow (100,000 contacts on two threads: 570 MB peak RSS where one thread took 414 MB).
 */
const WORKER_OLD_SPACE_MB = 160;
/** Threads at most: the replay's work is CPU, and each thread holds its part's aggregates. */
const MAX_PARTS = 4;

export type WorkerMessage =
  ({ type: 'progress' } & ReplayProgress) | { type: 'done'; part: Omit<WhatIfLedger, 'aggregates'> & { aggregates: AggregateCounts } } | { type: 'failed'; message: string };

const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), contacts: z.number(), hubspotReads: z.number() }),
  z.object({
    type: z.literal('done'),
    part: z.object({
      // Counts built by whatIfLedger on the other thread, handed over by structured clone: checked by shape, not per entry.
      aggregates: z.object({ moves: z.array(z.unknown()), stays: z.array(z.unknown()), durations: z.array(z.unknown()) }),
      rows: z.number(),
      contacts: z.number(),
      missing: z.number(),
      unreadable: z.object({ properties: z.array(z.string()), contacts: z.number() }).nullable(),
      hubspotReads: z.number(),
    }),
  }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);

/**
 * The what-if replay split across threads: the portal's contacts in consecutive spans of ids, one per core (at most
 * MAX_PARTS), each replayed from the store alone by a worker thread with its own store connection, the parts joined
 * in order (combineWhatIf: the same result as one thread). Peak memory is the process's, workers included: each holds
 * one batch and its part's aggregates.
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
  database: { url: string; pgSchema: string | null };
  /** Threads (default: the cores, at most MAX_PARTS) and the fewest contacts worth splitting (tests set both). */
  parts?: number;
  minContacts?: number;
  /** Contact ids read per step while splitting (default SPLIT_PAGE): spans end at a step's last id. */
  splitPage?: number;
}): WhatIfReplayer {
  return async (portalId, model, until) => {
    const parts = Math.min(deps.parts ?? availableParallelism(), MAX_PARTS);
    const spans = parts > 1 ? await contactSpans(deps.store, portalId, parts, deps.minContacts ?? PARALLEL_REPLAY_MIN_CONTACTS, deps.splitPage ?? SPLIT_PAGE) : [];
    if (spans.length < 2) return whatIfLedger(deps, portalId, model, until);
    const progress = spans.map(() => ({ contacts: 0, hubspotReads: 0 }));
    const results = await Promise.all(
      spans.map((span, i) =>
        replayInWorker(deps.database, portalId, model, until, span, (p) => {
          progress[i] = p;
          deps.onProgress?.({ contacts: progress.reduce((sum, x) => sum + x.contacts, 0), hubspotReads: 0 });
        }),
      ),
    );
    const whole = combineWhatIf(results);
    return whole.unreadable && deps.hubspot ? whatIfLedger(deps, portalId, model, until) : whole;
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

/** The compiled worker next to this file; under ts-jest (TypeScript sources) through tsx's require hook. */
const WORKER_FILE = join(__dirname, `replay-worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
const WORKER_BOOT = `${WORKER_FILE.endsWith('.ts') ? "require('tsx/cjs');" : ''} require(${JSON.stringify(WORKER_FILE)});`;

function replayInWorker(
  database: { url: string; pgSchema: string | null },
  portalId: PortalId,
  model: CompiledModel,
  until: number,
  span: ContactSpan,
  onProgress: (progress: ReplayProgress) => void,
): Promise<WhatIfLedger> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_BOOT, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB },
      workerData: { databaseUrl: database.url, pgSchema: database.pgSchema, portalId, model: model.document, until, span },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.on('message', (raw: unknown) => {
      const message = WorkerMessageSchema.parse(raw);
      if (message.type === 'progress') onProgress(message);
      else if (message.type === 'failed') settle(() => reject(new Error(`what-if replay worker: ${message.message}`)));
      else {
        const counts = message.part.aggregates as AggregateCounts;
        settle(() => resolve({ ...message.part, aggregates: new LedgerAggregates().addCounts(counts) }));
      }
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`what-if replay worker exited (${code}) without an answer`))));
  });
}
