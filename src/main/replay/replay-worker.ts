import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { createStore } from '../../adapters/store';
import { whatIfLedger } from '../../app/replay/what-if-ledger';
import { compileModelOrThrow } from '../../core';
import type { WorkerMessage } from './what-if-worker';

/**
 * A what-if replay on a thread of its own (what-if-worker.ts: a part of `lifecycle replay --threads`, or the whole
 * settings Preview): opens the store, replays its span of contacts from the store alone (no HubSpot: the parent
 * replays on one thread when HubSpot is needed) into the sums of the window it was given, and posts progress and
 * then those sums (stages × the window's intervals, whatever the history).
 */
const WorkerDataSchema = z.object({
  databaseUrl: z.string().min(1),
  pgSchema: z.string().nullable(),
  portalId: z.number().int().positive(),
  model: z.unknown(),
  until: z.number(),
  span: z.object({ after: z.string().nullable(), last: z.string().nullable() }),
  window: z.object({ firstDay: z.number(), startDay: z.number(), endDay: z.number(), cuts: z.array(z.number()).optional() }),
});

async function replayPart(): Promise<void> {
  const data = WorkerDataSchema.parse(workerData);
  const post = (message: WorkerMessage) => parentPort?.postMessage(message);
  // The parent migrated this database when it opened it: the worker only reads, and takes no write lock.
  const store = await createStore(data.databaseUrl, { sqliteCheckpoints: 'inline', migrate: false, ...(data.pgSchema === null ? {} : { pgSchema: data.pgSchema }) });
  try {
    const model = compileModelOrThrow(data.model);
    const part = await whatIfLedger({ store, hubspot: null, onProgress: (progress) => post({ type: 'progress', ...progress }) }, data.portalId, model, data.until, data.window, data.span);
    post({ type: 'done', part: { ...part, fold: part.fold.counts() } });
  } finally {
    await store.close();
  }
}

replayPart().catch((error: unknown) => parentPort?.postMessage({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerMessage));
