import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStore } from '../adapters/store';
import { BackfillJobs, RateLimitTally } from '../app/pages';
import { SimulatedClock } from '../app/ports/clock';
import { StaticPortalDirectory } from '../app/ports/portal-directory';
import type { Store } from '../app/ports/store-ports';
import { defaultModel } from '../core';
import { createHttpApp } from '../http/create-http-app';
import { pageRoutes } from '../http/routes/page-routes';
import { createLogger } from '../main/logger';
import { reportReadsFor, type ReportReads } from '../main/reports/aggregate-read-workers';
import { heldBy } from './bench-databases';
import { answerRequests } from './child-rpc';
import { peakRssMb, thisProcessCpu } from './latency';

/**
 * B14's server in a process of its own: the store and the /pages routes over HTTP, so the load client (signing,
 * fetch, JSON parsing) runs in the bench process and this process's CPU time and peak RSS are the serving path's alone.
 */
export type PagesServingRequest =
  | { id: number; type: 'start'; url: string; portalId: number; clientSecret: string; clockAt: number }
  /** Rows and contacts the store holds: asked after the calls, so the first page call is the first read. */
  | { id: number; type: 'held' }
  | { id: number; type: 'cpuMs' }
  | { id: number; type: 'peakRssMb' }
  | { id: number; type: 'stop' };

let serving: { store: Store; server: http.Server; reportReads: ReportReads } | null = null;

async function start(request: Extract<PagesServingRequest, { type: 'start' }>): Promise<{ port: number }> {
  const store = await createStore(request.url);
  // As the backend serves them: on a SQLite file, the Funnel page's aggregates are read on reader threads.
  const reportReads = reportReadsFor(store, { url: request.url, pgSchema: null });
  const model = defaultModel();
  const logger = createLogger('silent');
  const server = http.createServer(
    createHttpApp({
      logger,
      routers: [
        pageRoutes({
          store,
          aggregates: reportReads.aggregates,
          model: () => model,
          portals: new StaticPortalDirectory([{ portalId: request.portalId, accessToken: 'unused', clientSecrets: [request.clientSecret], rateLimit: 110 }]),
          clock: new SimulatedClock(request.clockAt),
          logger,
          publicBaseUrl: undefined,
          rateLimits: new RateLimitTally(),
          backfills: new BackfillJobs({ store, logger, run: null }),
        }),
      ],
    }),
  );
  // Slow calls queue behind each other on SQLite's one connection: keep idle sockets open longer than Node's 5 s
  // default, or a reused keep-alive socket is reset under the client (ECONNRESET) and the run measures nothing.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serving = { store, server, reportReads };
  return { port: (server.address() as AddressInfo).port };
}

async function stop(): Promise<void> {
  if (!serving) return;
  const { store, server, reportReads } = serving;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await reportReads.close();
  await store.close();
}

async function handle(request: PagesServingRequest): Promise<unknown> {
  switch (request.type) {
    case 'start':
      return start(request);
    case 'held':
      if (!serving) throw new Error('not started');
      return heldBy(serving.store);
    case 'cpuMs':
      return thisProcessCpu();
    case 'peakRssMb':
      return peakRssMb();
    case 'stop':
      await stop();
      setImmediate(() => process.exit(0));
      return null;
  }
}

answerRequests(handle);

// The bench that started this server is gone (killed): nobody will call it, and its socket would keep it alive.
process.on('disconnect', () => process.exit(1));
