import { cachedOwnerLookup, recordsOwnedBy } from '../app/reporting';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { CompiledModel } from '../core';
import { HubSpotGateway } from '../adapters/hubspot/hubspot-gateway';
import type { Clock } from '../app/ports/clock';
import { HubSpotError } from '../app/ports/hubspot-port';
import { StaticPortalDirectory, type PortalCredentials, type PortalDirectory } from '../app/ports/portal-directory';
import type { PortalId, Store } from '../app/ports/store-ports';
import { PipelineRunner, type RunnerDeps } from '../app/pipeline/pipeline-runner';
import type { RetentionPolicy } from '../app/pipeline/prune-finished-work';
import { pullJournal } from '../app/ingest/pull-journal';
import { WebhooksJournalClient } from '../adapters/hubspot/webhooks-journal-client';
import { provisionProperties } from '../app/provision/provision-properties';
import { alignPortalModel } from '../app/provision/align-native-stages';
import { ModelRegistry } from '../app/models/model-registry';
import { advanceReevaluation } from '../app/models/reevaluation';
import { modelRefreshTask, reevaluationTask } from '../app/models/model-tasks';
import { settingsRoutes } from '../http/routes/settings-routes';
import { PreviewJobs } from '../app/models/preview-jobs';
import { createHttpApp } from '../http/create-http-app';
import { actionRoutes } from '../http/routes/action-routes';
import { cardRoutes } from '../http/routes/card-routes';
import { healthRoutes } from '../http/routes/health-routes';
import { webhookRoutes } from '../http/routes/webhook-routes';
import { reportRoutes } from '../http/routes/report-routes';
import { metricsRoutes } from '../http/routes/metrics-routes';
import { pageRoutes } from '../http/routes/page-routes';
import { BackfillJobs, RateLimitTally } from '../app/pages';
import { runBackfill } from '../app/backfill/run-backfill';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics';
import { UnservedPortals } from '../app/ingest/unserved-portals';
import { startOAuthInstalls, type OAuthInstallSettings } from './oauth-installs';
import { gatewaySlots, rateBudgetsFor, type HubSpotRateBudgets } from './rate-budgets';
import { reportReadsFor } from './reports/aggregate-read-workers';
import { whatIfOnWorkerThread, type StoreLocation } from './replay/what-if-worker';

export interface BackendOptions {
  store: Store;
  /** Each portal's model; with `modelRevisions`, only until the portal's published revision is loaded. */
  model: (portalId: PortalId) => CompiledModel;
  /**
   * Per-portal model revisions edited on the settings page (migration 0009): `seedDocument` (the model file or the
   * default) seeds a portal's revision 1; from then on each portal runs its published revision. Unset: `model` for
   * every portal, unversioned, and no settings API. `database` is where `store` lives: the settings Preview replays
   * on a worker thread with its own connection to it, off the event loop that serves requests.
   */
  modelRevisions?: { seedDocument: unknown; database: StoreLocation };
  /**
   * Where `store` lives (else `modelRevisions.database`). On a SQLite file, reports and the Funnel page read the
   * aggregates on reader threads with connections of their own (src/main/reports), off the event loop that serves.
   */
  database?: StoreLocation;
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
  /** Retention of processed inbox events and delivered outbox items (QUEUE_RETENTION_DAYS); unset = kept forever. */
  retention?: RetentionPolicy;
  /** Reconcile sweep interval per portal (RECONCILE_EVERY_MS); unset = no sweeps (tests drive them). */
  reconcileEveryMs?: number;
  /** OAuth only: how often each install's webhooks journal is read into the inbox (JOURNAL_EVERY_MS); 0 = never. */
  journalEveryMs?: number;
  /** How long a claimed inbox event or outbox item stays ours; after a crash, others take it over once it ends. */
  leaseMs?: number;
  /** Default: shared through the database on PostgreSQL, in-process on SQLite (see rate-budgets.ts). */
  rateBudgets?: HubSpotRateBudgets;
  onHubSpotCall?: ConstructorParameters<typeof HubSpotGateway>[0]['onCall'];
  /** OAuth public app: portals are the accounts that installed it (`portals` is then ignored; docs/oauth.md). */
  oauth?: OAuthInstallSettings;
  /** Guards the dashboard, report API and /metrics; unset = loopback clients only. */
  adminToken?: string;
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 behind a proxy on another host). */
  host?: string;
  /** TRUST_PROXY: X-Forwarded-* describe the public request (a proxy sets them). Default false: ignored. */
  trustProxy?: boolean;
}

export interface Backend {
  url: string;
  /** The per-portal models (null without `modelRevisions`). */
  models: ModelRegistry | null;
  /** The settings Preview's jobs run by this process (null without `modelRevisions`). */
  previews: PreviewJobs | null;
  runner: PipelineRunner;
  metrics: PrometheusMetrics;
  gateways: Map<PortalId, HubSpotGateway>;
  directory: PortalDirectory;
  /** Stops taking requests, lets the round in flight finish, then closes. */
  stop(): Promise<void>;
}

/**
 * The composition root of the backend, over one store: the HTTP routes (webhooks, workflow actions, cards, OAuth,
 * reports and dashboard, health, metrics), the worker and its periodic tasks, and one HubSpot gateway per portal.
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const { clock, logger, store } = options;
  const oauth = options.oauth ? await startOAuthInstalls({ store, clock, logger, hubspotBaseUrl: options.hubspotBaseUrl, settings: options.oauth }) : null;
  const directory: PortalDirectory = oauth ? oauth.directory : new StaticPortalDirectory(options.portals);
  const gateways = new Map<PortalId, HubSpotGateway>();
  const metrics = new PrometheusMetrics({ store, portals: () => directory.portals(), now: () => clock.now() });
  const rateLimits = new RateLimitTally();
  const onCall: NonNullable<BackendOptions['onHubSpotCall']> = (call) => {
    metrics.observeCall(call);
    if (call.kind === 'rate_limited') rateLimits.record(call.portalId, clock.now());
    options.onHubSpotCall?.(call);
  };
  const budgets = options.rateBudgets ?? rateBudgetsFor(store, options.portals, clock);
  const makeGateway = (portalId: PortalId, accessToken: ConstructorParameters<typeof HubSpotGateway>[0]['accessToken']): HubSpotGateway =>
    new HubSpotGateway({ portalId, accessToken, basePath: options.hubspotBaseUrl, ...gatewaySlots(budgets, portalId), clock, timeoutMs: options.hubspotTimeoutMs, onCall });
  for (const portal of options.portals) gateways.set(portal.portalId, makeGateway(portal.portalId, portal.accessToken));
  // OAuth installs arrive at run time: their gateway is built on first use. A portal no longer served (uninstalled,
  // revoked) gets an `auth` failure, which parks its queued work instead of retrying it at once.
  const gateway = (portalId: PortalId) => {
    const credentials = directory.credentials(portalId);
    if (!credentials) throw new HubSpotError('auth', `portal ${portalId} is not served by this backend`, null);
    let g = gateways.get(portalId);
    if (!g) {
      g = makeGateway(portalId, credentials.accessToken);
      gateways.set(portalId, g);
    }
    return g;
  };
  const models = options.modelRevisions ? modelRegistry(options, options.modelRevisions.seedDocument, gateway) : null;
  const modelFor = models?.modelFor ?? options.model;
  if (models) {
    try {
      await models.refresh(directory.portals());
    } catch (error) {
      logger.warn({ err: error }, "could not load the portals' published model revisions yet; the worker tries again every round");
    }
  }
  const runner = new PipelineRunner({
    store,
    clock,
    logger,
    hubspot: gateway,
    model: modelFor,
    ...(models
      ? {
          tasks: [
            modelRefreshTask({ models, logger }),
            reevaluationTask({
              step: (portalId: PortalId) =>
                advanceReevaluation({ store, hubspot: gateway(portalId), model: modelFor(portalId), clock, workerId: options.workerId ?? `worker-${process.pid}` }, portalId),
              logger,
            }),
          ],
        }
      : {}),
    workerId: options.workerId ?? `worker-${process.pid}`,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    portals: () => directory.portals(),
    reconcileEveryMs: options.reconcileEveryMs,
    ...(options.retention ? { retention: options.retention } : {}),
    ...journalPull(options, directory, onCall),
  });
  const backfills = new BackfillJobs({
    store,
    logger,
    run: (portalId, backfillOptions) =>
      runBackfill(
        { store, hubspot: gateway(portalId), model: options.model(portalId), clock, workerId: `${options.workerId ?? `worker-${process.pid}`}-backfill`, logger },
        portalId,
        backfillOptions,
      ),
  });
  const database = options.modelRevisions?.database;
  const reportReads = reportReadsFor(store, options.database ?? database);
  const previews = models && database ? new PreviewJobs({ store, models, clock, logger, replayer: (job) => whatIfOnWorkerThread(database, job) }) : null;
  let stopping = false;
  const unserved = new UnservedPortals();
  // The webhook route asks once per event; a portal we do not serve is counted, and logged once an hour.
  const webhookPortals: PortalDirectory = {
    portals: () => directory.portals(),
    credentials: (portalId) => directory.credentials(portalId),
    clientSecrets: () => directory.clientSecrets(),
    serves: (portalId) => {
      if (directory.serves(portalId)) return true;
      metrics.unservedPortalEvents.inc({ portal: String(portalId) });
      if (unserved.record(portalId, clock.now())) {
        logger.warn(
          { portalId, served: directory.portals() },
          `webhook events for portal ${portalId}, which is not served by this backend, are dropped (install the app there, or check HUBSPOT_PORTAL_ID)`,
        );
      }
      return false;
    },
  };
  const app = createHttpApp({
    logger,
    trustProxy: options.trustProxy === true,
    routers: [
      healthRoutes({
        ready: async () => {
          if (stopping) throw new Error('shutting down');
          await store.ping();
        },
        details: () => ({ unservedPortals: unserved.list() }),
      }),
      webhookRoutes({
        inbox: store.inbox,
        deadLetters: store.deadLetters,
        portals: webhookPortals,
        clock,
        logger,
        publicBaseUrl: options.publicBaseUrl,
        onAccepted: (result) => {
          metrics.webhookDeliveries.inc({ outcome: 'accepted' });
          if (result.stored > 0) runner.notify();
        },
        onQuarantined: (portalId, count) => metrics.quarantinedEvents.inc({ portal: String(portalId) }, count),
        onRejected: (reason) => metrics.webhookDeliveries.inc({ outcome: reason }),
      }),
      ...(oauth
        ? [
            oauth.routes({
              publicBaseUrl: options.publicBaseUrl,
              setUp: async (portalId) => {
                await provisionProperties(gateway(portalId), modelFor(portalId));
                await models?.refresh([portalId]);
              },
            }),
          ]
        : []),
      cardRoutes({ store, model: modelFor, hubspot: gateway, portals: directory, clock, logger, publicBaseUrl: options.publicBaseUrl, singlePortalFallback: !oauth }),
      actionRoutes({ store, model: modelFor, hubspot: gateway, portals: directory, clock, logger, publicBaseUrl: options.publicBaseUrl }),
      reportRoutes({
        store: { ledger: store.ledger, aggregates: reportReads.aggregates },
        model: modelFor,
        clock,
        dashboardToken: options.adminToken,
        ownedRecords: cachedOwnerLookup(async (portalId, objectType, ownerId) => recordsOwnedBy({ hubspot: gateway(portalId), clock }, objectType, ownerId), clock),
      }),
      metricsRoutes({ metrics, adminToken: options.adminToken }),
      pageRoutes({
        store,
        aggregates: reportReads.aggregates,
        model: modelFor,
        portals: directory,
        clock,
        logger,
        publicBaseUrl: options.publicBaseUrl,
        rateLimits,
        backfills,
        singlePortalFallback: !oauth,
      }),
      ...(models && previews
        ? [settingsRoutes({ store, models, previews, hubspot: gateway, portals: directory, clock, logger, publicBaseUrl: options.publicBaseUrl, singlePortalFallback: !oauth })]
        : []),
    ],
  });
  const server = http.createServer(app);
  const host = options.host ?? '127.0.0.1';
  // A port already taken rejects here (the caller reports it) instead of crashing the process with an unhandled 'error'.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`;
  if (options.runWorker !== false) runner.start();
  logger.info({ url, portals: directory.portals() }, 'backend listening');

  return {
    url,
    models,
    previews,
    runner,
    metrics,
    gateways,
    directory,
    async stop() {
      stopping = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backfills.close();
      await previews?.close();
      await reportReads.close();
      await runner.stop();
      oauth?.stop();
    },
  };
}

/**
 * The registry of per-portal model revisions: `model(portalId)` (the configured model, fitted at startup) until a
 * portal's published revision is loaded; each revision fitted to the portal's own lifecycle stages (R18) when loaded.
 */
function modelRegistry(options: BackendOptions, seedDocument: unknown, gateway: (portalId: PortalId) => HubSpotGateway): ModelRegistry {
  const { store, clock, logger } = options;
  return new ModelRegistry({
    revisions: store.modelRevisions,
    seedDocument,
    fallback: options.model,
    fit: (portalId, model) => alignPortalModel({ hubspot: gateway(portalId), store, clock, logger }, portalId, model),
    prepare: async (portalId, model) => void (await provisionProperties(gateway(portalId), model)),
    logger,
    now: () => clock.now(),
  });
}

/**
 * OAuth installs also read HubSpot's webhooks journal (the last 3 days, in order) into the inbox, so a backend that
 * was down longer than HubSpot's push retries catches up from the journal; a static-token install has no
 * client credentials for it and keeps push webhooks and the reconcile sweep.
 */
function journalPull(options: BackendOptions, directory: PortalDirectory, onCall: BackendOptions['onHubSpotCall']): Pick<RunnerDeps, 'pullJournal' | 'journalEveryMs'> {
  if (!options.oauth || options.journalEveryMs === 0) return {};
  const { store, clock, logger } = options;
  const journal = new WebhooksJournalClient({
    baseUrl: options.hubspotBaseUrl,
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    clock,
    ...(options.hubspotTimeoutMs ? { timeoutMs: options.hubspotTimeoutMs } : {}),
    ...(onCall ? { onCall } : {}),
  });
  return {
    pullJournal: (portalId) => pullJournal({ journal, store, clock, logger, servesPortal: (id) => directory.serves(id) }, portalId),
    ...(options.journalEveryMs === undefined ? {} : { journalEveryMs: options.journalEveryMs }),
  };
}
