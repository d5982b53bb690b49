import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { defaultModel, type CompiledModel, type LedgerEntry } from '../../src/core';
import { createStore } from '../../src/adapters/store';
import { SimulatedClock } from '../../src/app/ports/clock';
import type { Store } from '../../src/app/ports/store-ports';
import { startBackend, type Backend, type BackendOptions } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import { alignAll, modelPerPortal, provisionAll, subscribeSimulator, type HubSpotTarget } from '../../src/main/runtime';
import { startSimulator, type ActivityFactInput, type PortalOptionsInput, type RunningSimulator } from '../../src/simulator';

export const PORTAL = 101;
export const DAY = 86_400_000;

export interface PipelineHarness {
  sim: RunningSimulator;
  store: Store;
  backend: Backend;
  clock: SimulatedClock;
  /** The configured model; each portal runs it fitted to its own lifecycle stages (see `modelFor`). */
  model: CompiledModel;
  /** The model the backend runs for a portal, as `serve` prepares it at start. */
  modelFor(portalId: number): CompiledModel;
  /** The real SDK pointed at the simulator, as a HubSpot user's other tools would write. */
  hubspot: Client;
  /** Delivers every pending webhook and runs the pipeline until nothing is left to do now. */
  settle(): Promise<void>;
  createContact(properties: Record<string, string>): Promise<string>;
  activity(fact: ActivityFactInput): { dealId?: string };
  contact(id: string): Promise<Record<string, string | null>>;
  history(id: string): Promise<LedgerEntry[]>;
  /** Moves simulated time forward and lets the scheduler act on it. */
  advanceDays(days: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole product on one simulated clock: the HubSpot simulator, the backend (webhook route, worker, outbox,
 * scheduler) and a real store. Nothing of ours is mocked; time moves only when a test (or a rate-limit wait) moves it.
 */
export interface PipelineHarnessOptions {
  databaseUrl?: string;
  start?: number;
  model?: CompiledModel;
  /** The simulated HubSpot accounts (default: portal 101, public tier); the backend serves all of them. */
  portals?: PortalOptionsInput[];
  /** Observes every HubSpot call the backend makes (the gateway's onCall hook). */
  onHubSpotCall?: BackendOptions['onHubSpotCall'];
  /** The URL the backend reaches HubSpot at, given the simulator's (e.g. a proxy a test can switch off). */
  hubspotUrlFor?: (simulatorUrl: string) => Promise<string>;
  /** Extra backend options (e.g. the retention period); the settings Preview's worker opens the harness's database. */
  backend?: Partial<Omit<BackendOptions, 'modelRevisions'>> & { modelRevisions?: { seedDocument: unknown } };
  /** HUBSPOT_RATE_LIMIT the backend is configured with for every portal (default 110, a public app's). */
  rateLimit?: number;
  /** Where the backend logs (default: silent); a test reading log lines passes its own. */
  logger?: BackendOptions['logger'];
}

export async function startPipelineHarness(options: PipelineHarnessOptions = {}): Promise<PipelineHarness> {
  const clock = new SimulatedClock(options.start ?? Date.UTC(2026, 0, 5, 9));
  const sim = await startSimulator({ clock, ...(options.portals ? { portals: options.portals } : {}) });
  const folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-e2e-'));
  const databaseUrl = options.databaseUrl ?? `sqlite:${path.join(folder, 'e2e.db')}`;
  const store = await createStore(databaseUrl);
  const model = options.model ?? defaultModel();
  const logger = options.logger ?? createLogger('silent');
  const portals = sim.portals.map((p) => ({ portalId: p.portalId, accessToken: p.accessTokens[0]!, clientSecrets: [p.clientSecret], rateLimit: options.rateLimit ?? 110 }));
  const target: HubSpotTarget = { baseUrl: sim.baseUrl, portals, simulator: sim };
  await provisionAll(target, model, clock);
  const modelFor = modelPerPortal(await alignAll(target, model, { store, clock, logger }), model);
  const hubspotBaseUrl = options.hubspotUrlFor ? await options.hubspotUrlFor(sim.baseUrl) : sim.baseUrl;
  const { modelRevisions, ...backendOptions } = options.backend ?? {};
  const backend = await startBackend({
    store,
    model: modelFor,
    hubspotBaseUrl,
    portals,
    clock,
    logger,
    port: 0,
    runWorker: false,
    onHubSpotCall: options.onHubSpotCall,
    // As `lifecycle serve` runs: on a SQLite file, reports and the Funnel page read on reader threads.
    database: { url: databaseUrl, pgSchema: null },
    ...backendOptions,
    ...(modelRevisions ? { modelRevisions: { ...modelRevisions, database: { url: databaseUrl, pgSchema: null } } } : {}),
  });
  subscribeSimulator(sim, backend.url);
  const hubspot = new Client({ accessToken: portals[0]!.accessToken, basePath: sim.baseUrl });

  const settle = async () => {
    for (let i = 0; i < 50; i++) {
      await sim.idle();
      await backend.runner.drain();
      await sim.idle();
      const pending = await store.inbox.pendingCount(PORTAL);
      if (pending === 0) return;
    }
    throw new Error('the pipeline did not settle');
  };

  return {
    sim,
    store,
    backend,
    clock,
    model,
    modelFor,
    hubspot,
    settle,
    async createContact(properties) {
      const created = await hubspot.crm.contacts.basicApi.create({ properties, associations: [] });
      return created.id;
    },
    activity: (fact) => sim.control.recordActivity(PORTAL, fact),
    async contact(id) {
      const record = await hubspot.crm.contacts.basicApi.getById(id, [
        'lifecyclestage',
        'lc_stage',
        'lc_previous_stage',
        'lc_recycle_reason',
        'lc_recycle_count',
        'lc_marketing_paused_until',
        'lc_dead_end_reason',
        'lc_last_transition_kind',
        'lc_stage_entered_at',
      ]);
      return record.properties;
    },
    history: (id) => store.ledger.history(PORTAL, { objectType: 'contact', objectId: id }),
    async advanceDays(days) {
      clock.advance(days * DAY);
      await settle();
    },
    async stop() {
      await backend.stop();
      await sim.stop();
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
