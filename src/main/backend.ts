import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { CompiledModel } from '../core';
import { HubSpotGateway } from '../adapters/hubspot/hubspot-gateway';
import { RollingWindowLimiter } from '../adapters/hubspot/rolling-window-limiter';
import type { Clock } from '../app/ports/clock';
import { StaticPortalDirectory, type PortalCredentials } from '../app/ports/portal-directory';
import type { PortalId, Store } from '../app/ports/store-ports';
import { PipelineRunner } from '../app/pipeline/pipeline-runner';
import { createHttpApp } from '../http/create-http-app';
import { healthRoutes } from '../http/routes/health-routes';
import { webhookRoutes } from '../http/routes/webhook-routes';

export interface BackendOptions {
  store: Store;
  model: (portalId: PortalId) => CompiledModel;
  hubspotBaseUrl: string;
  portals: PortalCredentials[];
  clock: Clock;
  logger: Logger;
  port: number;
  publicBaseUrl?: string;
  workerId?: string;
  /** Start the worker loop (tests may drive rounds themselves). */
  runWorker?: boolean;
  hubspotTimeoutMs?: number;
  onHubSpotCall?: ConstructorParameters<typeof HubSpotGateway>[0]['onCall'];
}

export interface Backend {
  url: string;
  runner: PipelineRunner;
  gateways: Map<PortalId, HubSpotGateway>;
  directory: StaticPortalDirectory;
  /** Stops taking requests, lets the round in flight finish, then closes. */
  stop(): Promise<void>;
}

/** The composition root of the backend: HTTP (webhooks, health) + worker + scheduler over one store. */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const { clock, logger, store } = options;
  const directory = new StaticPortalDirectory(options.portals);
  const gateways = new Map<PortalId, HubSpotGateway>();
  for (const portal of options.portals) {
    const limiter = new RollingWindowLimiter({ maxRequests: portal.rateLimit, windowMs: 10_000 }, clock);
    gateways.set(
      portal.portalId,
      new HubSpotGateway({
        portalId: portal.portalId,
        accessToken: portal.accessToken,
        basePath: options.hubspotBaseUrl,
        limiter,
        clock,
        timeoutMs: options.hubspotTimeoutMs,
        onCall: options.onHubSpotCall,
      }),
    );
  }
  const gateway = (portalId: PortalId) => {
    const g = gateways.get(portalId);
    if (!g) throw new Error(`portal ${portalId} is not served by this backend`);
    return g;
  };
  const runner = new PipelineRunner({
    store,
    clock,
    logger,
    hubspot: gateway,
    model: options.model,
    workerId: options.workerId ?? `worker-${process.pid}`,
    portals: () => directory.portals(),
  });
  let stopping = false;
  const app = createHttpApp({
    logger,
    routers: [
      healthRoutes({
        ready: async () => {
          if (stopping) throw new Error('shutting down');
          await store.ping();
        },
      }),
      webhookRoutes({ inbox: store.inbox, portals: directory, clock, logger, publicBaseUrl: options.publicBaseUrl, onAccepted: () => runner.notify() }),
    ],
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (options.runWorker !== false) runner.start();
  logger.info({ url, portals: directory.portals() }, 'backend listening');

  return {
    url,
    runner,
    gateways,
    directory,
    async stop() {
      stopping = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop();
    },
  };
}
