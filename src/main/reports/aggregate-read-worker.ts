import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { openAggregateReader, redactDatabaseUrl } from '../../adapters/store';
import type { LedgerAggregatePort } from '../../app/ports/store-ports';
import { READ_METHODS, type ReadAnswer, type ReadCall } from './aggregate-read-workers';

/**
 * A report reader thread (aggregate-read-workers.ts): its own connection to the store's SQLite file, answering the
 * aggregate reads its parent posts, one message per call.
 */
const WorkerDataSchema = z.object({ databaseUrl: z.string().min(1) });
// Posted by AggregateReadWorkers on this process's other thread, which types each call's arguments.
const ReadCallSchema = z.object({ id: z.number().int(), method: z.enum(READ_METHODS), args: z.array(z.unknown()) });

const { databaseUrl } = WorkerDataSchema.parse(workerData);
const reader = open(databaseUrl);

/** The reader's connection; a failure to open leaves the thread as a plain Error (a driver's error loses its message on the way). */
function open(url: string): ReturnType<typeof openAggregateReader> {
  try {
    return openAggregateReader(url);
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    throw new Error(`cannot open the store at ${redactDatabaseUrl(url)}: ${message ?? String(error)}${code ? ` (${code})` : ''}`);
  }
}

parentPort?.on('message', (raw: unknown) => {
  const parsed = ReadCallSchema.safeParse(raw);
  if (!parsed.success) return;
  void answer(parsed.data as ReadCall).then((message) => parentPort?.postMessage(message));
});

async function answer(call: ReadCall): Promise<ReadAnswer> {
  try {
    return { id: call.id, ok: true, result: await read(reader.aggregates, call) };
  } catch (error) {
    return { id: call.id, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

function read(aggregates: LedgerAggregatePort, call: ReadCall): Promise<unknown> {
  switch (call.method) {
    case 'funnelAggregates':
      return aggregates.funnelAggregates(...call.args);
    case 'stockAggregates':
      return aggregates.stockAggregates(...call.args);
    case 'funnelAndStockAggregates':
      return aggregates.funnelAndStockAggregates(...call.args);
    case 'rebuildProgress':
      return aggregates.rebuildProgress(...call.args);
  }
}
