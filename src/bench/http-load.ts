import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** One request of a load run, signed in advance by the benchmark. */
export interface LoadRequest {
  /** Requests of one lane group share `concurrency` connections (a portal's deliveries, a card's fetches). */
  group: string;
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadJob {
  requests: LoadRequest[];
  /** Requests in flight at once per group, each lane sending back to back (HubSpot's maxConcurrentRequests). */
  concurrency: number;
  /** How the worker checks each answer besides its status: a contact card view that says it is synced. */
  check?: 'contact-view';
  /**
   * Open loop: each group's requests are due at a steady rate (requests per second), in order, whatever the answers
   * do; a due request waits only while `concurrency` of its group are in flight (HubSpot's maxConcurrentRequests).
   * Groups are phased evenly within one period so they do not send in lockstep. Without it: closed loop, each of the
   * `concurrency` lanes sends its next request as soon as the last one is answered.
   */
  openLoop?: { requestsPerSecondPerGroup: number };
}

export interface LoadResult {
  wallMs: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  /** Requests resent after the connection was dropped (latency counts from the first attempt). */
  resets: number;
  /** Answers that failed the job's check. */
  invalid: number;
  /** Each request in completion order: its group, when it was sent (ms after the run started), how long its answer took. */
  samples: Array<{ group: string; sentAtMs: number; latencyMs: number }>;
  /** Open loop: how long each due request waited for a free slot of its group before it was sent (0 when one was free). */
  slotWaitsMs: number[];
}

/**
 * Runs the load from a worker thread, so the client uses the second core instead of competing with the server's
 * event loop (the server under test runs in this thread). The worker is the compiled `http-load-worker.js`:
 * benchmarks run from `dist` (`npm run bench`).
 */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'http-load-worker.js'), { workerData: job });
    worker.once('message', (message: LoadResult | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
