import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { PortalId } from '../../app/ports/store-ports';
import { ALL_CONTACTS, ReplayThreadError, type ContactSpan, type ReplayProgress, type WhatIfFunnel, type WhatIfLedger, type WhatIfReplayer } from '../../app/replay/what-if-ledger';
import { LedgerAggregates, type AggregateCounts, type CompiledModel } from '../../core';
import { workerBootScript } from '../worker-boot';

/** Where a worker opens the same store as its parent. */
export interface StoreLocation {
  url: string;
  pgSchema: string | null;
}

/**
 * A part's old space (`lifecycle replay --threads`): its aggregates and one batch fit in a fraction of it, and
 * without a bound V8 lets a heap with a high allocation rate grow (100,000 contacts on two threads: 570 MB peak RSS
 * where one thread took 414 MB).
 */
const PART_OLD_SPACE_MB = 160;
/**
 * The whole replay's old space (the settings Preview): the aggregates grow with the portal's history, not one entry
 * per contact but more with more contacts (B8's history: 312,000 entries, about 100 MB, at 100,000 contacts). A
 * portal past this fails its preview ("ran out of memory"), not the serving process.
 */
const WHOLE_OLD_SPACE_MB = 1_024;

export type WorkerMessage =
  | ({ type: 'progress' } & ReplayProgress)
  | { type: 'done'; part: Omit<WhatIfLedger, 'aggregates'> & { aggregates: AggregateCounts } }
  | { type: 'funnel'; result: WhatIfFunnel }
  | { type: 'failed'; message: string };

const figures = {
  rows: z.number(),
  contacts: z.number(),
  missing: z.number(),
  unreadable: z.object({ properties: z.array(z.string()), contacts: z.number() }).nullable(),
  hubspotReads: z.number(),
};
// Counts built by whatIfLedger on the other thread, handed over by structured clone: checked by shape, not per entry.
const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), contacts: z.number(), hubspotReads: z.number() }),
  z.object({
    type: z.literal('done'),
    part: z.object({ ...figures, aggregates: z.object({ moves: z.array(z.unknown()), stays: z.array(z.unknown()), durations: z.array(z.unknown()) }) }),
  }),
  z.object({
    type: z.literal('funnel'),
    result: z.object({
      ...figures,
      funnel: z.object({ movesBefore: z.array(z.unknown()), dailyMoves: z.array(z.unknown()), stays: z.array(z.unknown()), durations: z.array(z.unknown()) }),
    }),
  }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
type WorkerAnswer = Extract<WorkerMessage, { type: 'done' | 'funnel' }>;

const WORKER_BOOT = workerBootScript(__filename, 'replay-worker');

export interface WorkerReplayOptions {
  onProgress?: (progress: ReplayProgress) => void;
  /** Aborting terminates the worker at once; the replay rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * The whole what-if replay (every contact) on one worker thread: the settings Preview's, so the serving event loop
 * only receives a progress message per store batch and, at the end, the funnel of the window (the worker narrows
 * the aggregates, which grow with the portal's history, before they cross). The worker opens its own connection (it
 * only reads) and streams the portal a batch at a time: its memory is one batch and the aggregates (WHOLE_OLD_SPACE_MB).
 */
export function whatIfOnWorkerThread(database: StoreLocation, options: WorkerReplayOptions = {}): WhatIfReplayer {
  return (portalId, model, until, window) =>
    runWorker({ databaseUrl: database.url, pgSchema: database.pgSchema, portalId, model: model.document, until, span: ALL_CONTACTS, window }, WHOLE_OLD_SPACE_MB, options, (answer) => {
      if (answer.type !== 'funnel') throw new ReplayThreadError('threw', 'the worker answered counts where a funnel was asked');
      return answer.result;
    });
}

/** Replays `span` of the portal's contacts on a new worker thread and answers every count (parts to be combined in order). */
export function replayInWorker(
  database: StoreLocation,
  portalId: PortalId,
  model: CompiledModel,
  until: number,
  span: ContactSpan,
  options: WorkerReplayOptions = {},
): Promise<WhatIfLedger> {
  return runWorker({ databaseUrl: database.url, pgSchema: database.pgSchema, portalId, model: model.document, until, span }, PART_OLD_SPACE_MB, options, (answer) => {
    if (answer.type !== 'done') throw new ReplayThreadError('threw', 'the worker answered a funnel where counts were asked');
    return { ...answer.part, aggregates: new LedgerAggregates().addCounts(answer.part.aggregates) };
  });
}

/**
 * Runs replay-worker.ts on a new thread with `workerData` and resolves with its answer. A throw in `onProgress` or an
 * abort terminates the worker and rejects with that error; a worker that fails or dies rejects with ReplayThreadError.
 */
function runWorker<T>(workerData: Record<string, unknown>, oldSpaceMb: number, options: WorkerReplayOptions, read: (answer: WorkerAnswer) => T): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(asError(signal.reason));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_BOOT, { eval: true, resourceLimits: { maxOldGenerationSizeMb: oldSpaceMb }, workerData });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const stop = (error: unknown) => settle(() => void worker.terminate().finally(() => reject(asError(error))));
    const onAbort = () => stop(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (raw: unknown) => {
      if (settled) return;
      const parsed = WorkerMessageSchema.safeParse(raw);
      if (!parsed.success) return stop(new ReplayThreadError('threw', `unexpected message: ${parsed.error.message}`));
      const message = parsed.data as WorkerMessage;
      if (message.type === 'failed') return settle(() => reject(new ReplayThreadError('threw', message.message)));
      try {
        if (message.type === 'progress') options.onProgress?.(message);
        else {
          const answer = read(message);
          settle(() => resolve(answer));
        }
      } catch (error) {
        stop(error);
      }
    });
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() => reject(new ReplayThreadError(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out_of_memory' : 'threw', error.stack ?? error.message))),
    );
    worker.once('exit', (code) => settle(() => reject(new ReplayThreadError('exited', `the worker exited (${code}) without an answer`))));
  });
}

const asError = (reason: unknown): Error => (reason instanceof Error ? reason : new Error(String(reason)));
