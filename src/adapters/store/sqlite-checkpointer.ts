import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the request path. With SQLite's default (wal_autocheckpoint = 1000 pages) the commit that
 * crosses the threshold copies the WAL into the database file and fsyncs it before it returns — inside a webhook
 * delivery's transaction, on the event loop (better-sqlite3 is synchronous), so every delivery in flight waits for
 * it (B1, issue 15). Here a worker thread with its own connection runs `wal_checkpoint(PASSIVE)` on a timer:
 * PASSIVE takes no writer lock and never waits (https://www.sqlite.org/pragma.html#pragma_wal_checkpoint), so
 * commits go on beside it, and the main connection's automatic checkpoint is raised to a backstop that only a
 * stalled checkpointer lets the WAL reach.
 */
export const BACKGROUND_CHECKPOINT_INTERVAL_MS = 500;
/** The main connection still checkpoints by itself past this many WAL pages (about 40 MB at 4 KiB pages). */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

export interface CheckpointResult {
  /** wal_checkpoint's answer: busy (1 if it could not run to completion), frames in the WAL, frames checkpointed. */
  busy: number;
  log: number;
  checkpointed: number;
}

// Plain CommonJS run by `new Worker(..., { eval: true })`, so it works the same from dist/ and under ts-jest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpointer {
  /** Stops the timer and closes the worker's connection (before the main connection closes). */
  stop(): Promise<void>;
}

export function startBackgroundCheckpointer(filename: string, options: { intervalMs?: number; onCheckpoint?: (result: CheckpointResult) => void } = {}): BackgroundCheckpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: require.resolve('better-sqlite3'), filename, intervalMs: options.intervalMs ?? BACKGROUND_CHECKPOINT_INTERVAL_MS },
  });
  // A checkpoint that fails (disk trouble) is retried at the next tick; the backstop keeps the WAL bounded meanwhile.
  worker.on('message', (message: { result?: CheckpointResult; error?: string }) => {
    if (message.result) options.onCheckpoint?.(message.result);
  });
  worker.on('error', () => undefined);
  // Never what keeps the process alive.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Referenced again while it closes: waiting on an unreferenced worker would let the process exit right here.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
