import { availableParallelism } from 'node:os';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { parseDatabaseUrl } from '../../adapters/store';
import { isInMemory } from '../../adapters/store/database-url';
import type { LedgerAggregatePort, Store } from '../../app/ports/store-ports';
import type { StoreLocation } from '../replay/what-if-worker';
import { workerBootScript } from '../worker-boot';

/** The port's reads, by name: what a reader thread answers. */
export const READ_METHODS = ['funnelAggregates', 'stockAggregates', 'funnelAndStockAggregates', 'rebuildProgress'] as const satisfies ReadonlyArray<keyof LedgerAggregatePort>;
type ReadMethod = (typeof READ_METHODS)[number];
type Port = Pick<LedgerAggregatePort, ReadMethod>;

/** A read as the port was called: its method and arguments. */
type ReadRequest = { [M in ReadMethod]: { method: M; args: Parameters<Port[M]> } }[ReadMethod];
/** A read as it is posted to a thread: numbered, so that its answer finds its caller. */
export type ReadCall = ReadRequest & { id: number };
export type ReadAnswer = { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string };

// The aggregates a reader built and handed over by structured clone: checked by shape, not per entry (null: no
// rebuild in progress).
const ReadAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ id: z.number(), ok: z.literal(true), result: z.record(z.string(), z.unknown()).nullable() }),
  z.object({ id: z.number(), ok: z.literal(false), message: z.string() }),
]);

const WORKER_BOOT = workerBootScript(__filename, 'aggregate-read-worker');

/**
 * Reader threads: as many as the machine has cores, at most 4. A report is a few SQL statements of a few
 * milliseconds each; with one per thread, reports run side by side on the cores instead of one after another.
 */
export const DEFAULT_READ_THREADS = Math.max(1, Math.min(4, availableParallelism()));

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
  /** When it was last given a call (a call counter), so that idle threads take turns. */
  lastCall: number;
}

/**
 * The ledger's aggregates read on worker threads, each with its own connection to the store's SQLite file. better-
 * sqlite3 runs a statement synchronously on the thread that calls it: on the serving thread every report held up the
 * webhooks, cards and pages behind it for the length of its SQL (B14: ~10 of a 365-day Funnel page's ~17 ms of CPU),
 * and two reports could never use two cores. SQLite's WAL lets these connections read beside the writer; a read sees
 * what is committed when it runs, as the serving connection's reads do. A call goes to the thread with the fewest
 * calls in flight; the threads start with the first call, and one that dies fails its calls and is replaced at the next.
 */
export class AggregateReadWorkers implements Port {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly size: number = DEFAULT_READ_THREADS,
  ) {}

  funnelAggregates(...args: Parameters<Port['funnelAggregates']>): ReturnType<Port['funnelAggregates']> {
    return this.call({ method: 'funnelAggregates', args }) as ReturnType<Port['funnelAggregates']>;
  }

  stockAggregates(...args: Parameters<Port['stockAggregates']>): ReturnType<Port['stockAggregates']> {
    return this.call({ method: 'stockAggregates', args }) as ReturnType<Port['stockAggregates']>;
  }

  funnelAndStockAggregates(...args: Parameters<Port['funnelAndStockAggregates']>): ReturnType<Port['funnelAndStockAggregates']> {
    return this.call({ method: 'funnelAndStockAggregates', args }) as ReturnType<Port['funnelAndStockAggregates']>;
  }

  rebuildProgress(...args: Parameters<Port['rebuildProgress']>): ReturnType<Port['rebuildProgress']> {
    return this.call({ method: 'rebuildProgress', args }) as ReturnType<Port['rebuildProgress']>;
  }

  /** Stops the threads; calls in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(
      threads.map(async (thread) => {
        await thread.worker.terminate();
        this.stopped(thread, new Error('the report readers were closed'));
      }),
    );
  }

  private call(request: ReadRequest): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the report readers were closed'));
    const thread = this.leastBusy();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ ...request, id } satisfies ReadCall);
    });
  }

  /**
   * The thread with the fewest calls in flight; among equals, the one idle longest, so that every thread's connection
   * and page cache warm up alike (a thread first used under load read its pages cold: B14's 30-day p99 323 ms). All
   * threads start with the first call.
   */
  private leastBusy(): Thread {
    while (this.threads.length < this.size) this.start();
    const chosen = this.threads.reduce((best, t) => (t.pending.size < best.pending.size || (t.pending.size === best.pending.size && t.lastCall < best.lastCall) ? t : best));
    chosen.lastCall = this.nextId;
    return chosen;
  }

  private start(): Thread {
    const worker = new Worker(WORKER_BOOT, { eval: true, workerData: { databaseUrl: this.databaseUrl } });
    // The threads never keep a process alive by themselves (a CLI that forgot to close still exits).
    worker.unref();
    const thread: Thread = { worker, pending: new Map(), lastCall: 0 };
    this.threads.push(thread);
    worker.on('message', (raw: unknown) => {
      const parsed = ReadAnswerSchema.safeParse(raw);
      if (!parsed.success) return this.fail(thread, new Error(`a report reader answered an unexpected message: ${parsed.error.message}`));
      const answer = parsed.data;
      const waiting = thread.pending.get(answer.id);
      thread.pending.delete(answer.id);
      if (answer.ok) waiting?.resolve(answer.result);
      else waiting?.reject(new Error(`a report read failed on its reader thread: ${answer.message}`));
    });
    // An error thrown as a thread starts arrives serialised, sometimes without a stack or message of its own.
    worker.once('error', (error: unknown) => this.fail(thread, new Error(`a report reader thread failed: ${error instanceof Error ? (error.stack ?? error.message) : inspect(error)}`)));
    worker.once('exit', (code) => this.fail(thread, new Error(`a report reader thread exited (${code})`)));
    return thread;
  }

  /** A thread that failed: its calls fail, and the next call starts another. */
  private fail(thread: Thread, error: Error): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
    void thread.worker.terminate();
    this.stopped(thread, error);
  }

  private stopped(thread: Thread, error: Error): void {
    for (const waiting of thread.pending.values()) waiting.reject(error);
    thread.pending.clear();
  }
}

/** What report routes read aggregates through, and how to stop it. */
export interface ReportReads {
  aggregates: LedgerAggregatePort;
  close: () => Promise<void>;
}

/**
 * Report reads for a store at `database`: on a SQLite file, reader threads (AggregateReadWorkers); otherwise the
 * store's own port — PostgreSQL already runs each statement in a server process of its own, and an in-memory SQLite
 * database cannot be opened by a second connection.
 */
export function reportReadsFor(store: Store, database: StoreLocation | undefined): ReportReads {
  const target = database ? parseDatabaseUrl(database.url) : null;
  if (!database || target?.dialect !== 'sqlite' || isInMemory(target.filename)) return { aggregates: store.aggregates, close: async () => {} };
  const workers = new AggregateReadWorkers(database.url);
  return { aggregates: workers, close: () => workers.close() };
}
