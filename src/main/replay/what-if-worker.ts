import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { PortalId } from '../../app/ports/store-ports';
import { ALL_CONTACTS, ReplayThreadError, whatIfFunnel, type ContactSpan, type ReplayProgress, type WhatIfLedger, type WhatIfReplayer } from '../../app/replay/what-if-ledger';
import { FunnelFold, type AggregateWindow, type CompiledModel, type FunnelFoldCounts } from '../../core';
import { workerBootScript } from '../worker-boot';

/** Where a worker opens the same store as its parent. */
export interface StoreLocation {
  url: string;
  pgSchema: string | null;
}

/**
 * A part's old space (`lifecycle replay --threads`): one batch and the window's sums fit in a fraction of it, and
 * without a bound V8 lets a heap with a high allocation rate grow (100,000 contacts on two threads: 570 MB peak RSS
 * where one thread took 414 MB).
 */
const PART_OLD_SPACE_MB = 160;
/**
 * The whole replay's old space (the settings Preview): one batch of contacts and the window's sums, whatever the
 * portal's size or history (B8, 100,000 contacts: the whole replay ran in a 160 MB old space, its sums 240 KB as
 * JSON). A batch whose contacts hold far more events than B8's could need more; past this the preview fails ("ran out
 * of memory"), not the serving process.
 */
const WHOLE_OLD_SPACE_MB = 256;

export type WorkerMessage = ({ type: 'progress' } & ReplayProgress) | { type: 'done'; part: Omit<WhatIfLedger, 'fold'> & { fold: FunnelFoldCounts } } | { type: 'failed'; message: string };

const figures = {
  rows: z.number(),
  contacts: z.number(),
  missing: z.number(),
  unreadable: z.object({ properties: z.array(z.string()), contacts: z.number() }).nullable(),
  hubspotReads: z.number(),
};
// Sums built by whatIfLedger on the other thread, handed over by structured clone: checked by shape, not per entry.
const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), contacts: z.number(), hubspotReads: z.number() }),
  z.object({
    type: z.literal('done'),
    part: z.object({ ...figures, fold: z.object({ movesBefore: z.array(z.unknown()), dailyMoves: z.array(z.unknown()), stays: z.array(z.unknown()), buckets: z.array(z.unknown()) }) }),
  }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
type WorkerAnswer = Extract<WorkerMessage, { type: 'done' }>;

const WORKER_BOOT = workerBootScript(__filename, 'replay-worker');

export interface WorkerReplayOptions {
  onProgress?: (progress: ReplayProgress) => void;
  /** Aborting terminates the worker at once; the replay rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * The whole what-if replay (every contact) on one worker thread: the settings Preview's, so the serving event loop
 * only receives a progress message per store batch and, at the end, the window's sums. The worker opens its own
 * connection (it only reads) and streams the portal a batch at a time: its memory is one batch and the window's sums
 * (WHOLE_OLD_SPACE_MB).
 */
export function whatIfOnWorkerThread(database: StoreLocation, options: WorkerReplayOptions = {}): WhatIfReplayer {
  return async (portalId, model, until, window) => whatIfFunnel(await runWorker(database, { portalId, model, until, window, span: ALL_CONTACTS }, WHOLE_OLD_SPACE_MB, options));
}

/** Replays `span` of the portal's contacts into `window` on a new worker thread (parts to be combined in order). */
export function replayInWorker(
  database: StoreLocation,
  portalId: PortalId,
  model: CompiledModel,
  until: number,
  window: AggregateWindow,
  span: ContactSpan,
  options: WorkerReplayOptions = {},
): Promise<WhatIfLedger> {
  return runWorker(database, { portalId, model, until, window, span }, PART_OLD_SPACE_MB, options);
}

interface ReplayJob {
  portalId: PortalId;
  model: CompiledModel;
  until: number;
  window: AggregateWindow;
  span: ContactSpan;
}

/**
 * Runs replay-worker.ts on a new thread for `job` and resolves with its part. A throw in `onProgress` or an abort
 * terminates the worker and rejects with that error; a worker that fails or dies rejects with ReplayThreadError.
 */
function runWorker(database: StoreLocation, job: ReplayJob, oldSpaceMb: number, options: WorkerReplayOptions): Promise<WhatIfLedger> {
  const workerData = { databaseUrl: database.url, pgSchema: database.pgSchema, portalId: job.portalId, model: job.model.document, until: job.until, span: job.span, window: job.window };
  const read = (answer: WorkerAnswer): WhatIfLedger => ({ ...answer.part, fold: new FunnelFold(job.window).addCounts(answer.part.fold) });
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
