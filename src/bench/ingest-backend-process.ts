import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createStore } from '../adapters/store';
import { systemClock } from '../app/ports/clock';
import type { InboxPort, Store } from '../app/ports/store-ports';
import { defaultModel } from '../core';
import { startBackend } from '../main/backend';
import { createLogger } from '../main/logger';
import { answerRequests, type ChildReply } from './child-rpc';

/**
 * One backend instance of B1 in a process of its own (the real backend: webhook route, no worker), driven over IPC
 * by the benchmark, so three PostgreSQL instances are three processes as in production, and the figures of a process
 * (CPU, event-loop delay, GC, group commits) are the backend's alone, not the load generator's.
 */
export type IngestVariant = 'group' | 'per_delivery' | 'per_event';

export interface IngestBackendStart {
  databaseUrl: string;
  pgSchema?: string;
  variant: IngestVariant;
  /** The store as on main before issue 15: SQLite checkpoints inside commits, groups of up to 10,000 events. */
  asBefore?: boolean;
  portals: Array<{ portalId: number; clientSecret: string }>;
}

/** What one backend process saw between `resetStats` and `stats`. */
export interface IngestBackendStats {
  /** Group commits, the deliveries and events they held, and how long each transaction took (ms, in commit order). */
  groups: number;
  deliveries: number;
  events: number;
  commitMs: number[];
  /** Group sizes (deliveries) in commit order. */
  groupDeliveries: number[];
  /** CPU time of this process (all threads), ms. */
  cpuMs: number;
  /** Event-loop delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution), ms. */
  loopDelay: { p50: number; p99: number; max: number };
  /** Garbage collection pauses. */
  gc: { count: number; totalMs: number; maxMs: number };
}

export type IngestBackendRequest =
  | ({ id: number; type: 'start' } & IngestBackendStart)
  | { id: number; type: 'resetStats' }
  | { id: number; type: 'stats' }
  | { id: number; type: 'pendingCount' }
  | { id: number; type: 'stop' };

export type IngestBackendReply = ChildReply;

/** The per-event baseline's only difference: every event is committed in its own transaction. */
function oneTransactionPerEvent(inbox: InboxPort): InboxPort {
  return {
    insertMany: async (portalId, events, receivedAt) => {
      let stored = 0;
      for (const event of events) stored += await inbox.insertMany(portalId, [event], receivedAt);
      return stored;
    },
    claim: (options) => inbox.claim(options),
    complete: (...args) => inbox.complete(...args),
    release: (...args) => inbox.release(...args),
    deadLetter: (...args) => inbox.deadLetter(...args),
    resumeFailing: (...args) => inbox.resumeFailing(...args),
    failingSince: (portalId) => inbox.failingSince(portalId),
    pruneCompleted: (...args) => inbox.pruneCompleted(...args),
    pendingCount: (portalId) => inbox.pendingCount(portalId),
    receivedTimes: (portalId) => inbox.receivedTimes(portalId),
  };
}

let store: Store | null = null;
let backend: { url: string; stop(): Promise<void> } | null = null;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let cpuAtReset = process.cpuUsage();
let commits: Array<{ deliveries: number; events: number; durationMs: number }> = [];
let gcPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });

async function handle(request: IngestBackendRequest): Promise<unknown> {
  switch (request.type) {
    case 'start': {
      store = await createStore(request.databaseUrl, {
        ...(request.pgSchema === undefined ? {} : { pgSchema: request.pgSchema }),
        ...(request.asBefore ? { sqliteCheckpoints: 'inline' as const } : {}),
        inbox: { groupCommit: request.variant === 'group', onGroupCommitted: (group) => commits.push(group), ...(request.asBefore ? { maxGroupEvents: 10_000 } : {}) },
      });
      const served: Store = request.variant === 'per_event' ? { ...store, inbox: oneTransactionPerEvent(store.inbox) } : store;
      const model = defaultModel();
      backend = await startBackend({
        store: served,
        model: () => model,
        hubspotBaseUrl: 'http://127.0.0.1:9',
        portals: request.portals.map(({ portalId, clientSecret }) => ({ portalId, accessToken: `token-${portalId}`, clientSecrets: [clientSecret], rateLimit: 110 })),
        clock: systemClock,
        logger: createLogger('silent'),
        port: 0,
        runWorker: false,
      });
      loopDelay.enable();
      return { url: backend.url };
    }
    case 'resetStats':
      loopDelay.reset();
      cpuAtReset = process.cpuUsage();
      commits = [];
      gcPauses = [];
      return null;
    case 'stats': {
      const cpu = process.cpuUsage(cpuAtReset);
      return {
        groups: commits.length,
        deliveries: commits.reduce((sum, c) => sum + c.deliveries, 0),
        events: commits.reduce((sum, c) => sum + c.events, 0),
        commitMs: commits.map((c) => c.durationMs),
        groupDeliveries: commits.map((c) => c.deliveries),
        cpuMs: (cpu.user + cpu.system) / 1000,
        loopDelay: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
        gc: { count: gcPauses.length, totalMs: gcPauses.reduce((a, b) => a + b, 0), maxMs: Math.max(0, ...gcPauses) },
      } satisfies IngestBackendStats;
    }
    case 'pendingCount':
      return store!.inbox.pendingCount();
    case 'stop':
      await backend?.stop();
      await store?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

answerRequests(handle);
// The benchmark went away (crashed, interrupted): do not outlive it.
process.on('disconnect', () => process.exit(0));
