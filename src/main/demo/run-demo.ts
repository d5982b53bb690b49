import { rmSync } from 'node:fs';
import type { Logger } from 'pino';
import type { CompiledModel, ReportPeriod } from '../../core';
import { createStore } from '../../adapters/store';
import { SimulatedClock } from '../../app/ports/clock';
import type { Store } from '../../app/ports/store-ports';
import { loadFunnelReport, renderTerminalReport, wholeDays } from '../../app/reporting';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { startBackend, type Backend } from '../backend';
import { alignAll, modelPerPortal, provisionAll, subscribeSimulator } from '../runtime';
import { DEMO_PORTAL, playLiteratureScenario, SCENARIO_DAYS, SCENARIO_DAY_MS, type ScenarioSummary } from './literature-scenario';

export interface DemoOptions {
  model: CompiledModel;
  logger: Logger;
  /** A file that is recreated for each demo (never the production database). */
  sqliteFile: string;
  port: number;
  leads?: number;
  log: (line: string) => void;
}

export interface RunningDemo {
  backend: Backend;
  simulator: RunningSimulator;
  store: Store;
  summary: ScenarioSummary;
  /** The whole UTC days the scenario played over: the period of `report`. */
  period: ReportPeriod;
  report: string;
  stop(): Promise<void>;
}

/**
 * Plays the literature's scenario against the simulator on simulated days (so six months take about a minute),
 * then leaves the backend serving the dashboard over the result.
 */
export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const today = Date.now();
  const start = Date.UTC(new Date(today).getUTCFullYear(), new Date(today).getUTCMonth(), new Date(today).getUTCDate(), 9) - (SCENARIO_DAYS + 1) * SCENARIO_DAY_MS;
  const clock = new SimulatedClock(start);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${options.sqliteFile}${suffix}`, { force: true });
  const store = await createStore(`sqlite:${options.sqliteFile}`);
  const started: { simulator?: RunningSimulator; backend?: Backend } = {};
  try {
    return await playAndServe(options, clock, start, store, started);
  } catch (error) {
    // A demo that fails part-way (say, its port is taken) releases what it started, so the command exits with its error.
    await started.backend?.stop();
    await started.simulator?.stop();
    await store.close();
    throw error;
  }
}

async function playAndServe(options: DemoOptions, clock: SimulatedClock, start: number, store: Store, started: { simulator?: RunningSimulator; backend?: Backend }): Promise<RunningDemo> {
  const simulator = (started.simulator = await startSimulator({ clock }));
  const portals = simulator.portals.map((p) => ({ portalId: p.portalId, accessToken: p.accessTokens[0]!, clientSecrets: [p.clientSecret], rateLimit: 110 }));
  const target = { baseUrl: simulator.baseUrl, portals, simulator };
  await provisionAll(target, options.model, clock);
  const models = await alignAll(target, options.model, { store, clock, logger: options.logger });
  const backend = await startBackend({
    store,
    model: modelPerPortal(models, options.model),
    hubspotBaseUrl: simulator.baseUrl,
    portals,
    clock,
    logger: options.logger,
    port: options.port,
    runWorker: false,
  });
  started.backend = backend;
  subscribeSimulator(simulator, backend.url);

  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      await simulator.idle();
      await backend.runner.drain();
      await simulator.idle();
      if ((await store.inbox.pendingCount(DEMO_PORTAL)) === 0) return;
    }
  };
  const summary = await playLiteratureScenario(
    {
      control: simulator.control,
      passDays: async (days) => {
        for (let d = 0; d < days; d++) {
          clock.advance(SCENARIO_DAY_MS);
          await settle();
        }
      },
      log: options.log,
    },
    { leads: options.leads },
  );
  await settle();
  const period = wholeDays({ start, end: clock.now() + 1 });
  const reportOf = (objectType: 'contact' | 'company') =>
    loadFunnelReport({ ledger: store.ledger, aggregates: store.aggregates, model: () => options.model }, { portalId: DEMO_PORTAL, objectType, period });
  // The account funnel next to the contact funnel: the same report code over the companies' ledger rows.
  const [view, companyView] = [await reportOf('contact'), await reportOf('company')];
  backend.runner.start();
  return {
    backend,
    simulator,
    store,
    summary,
    period,
    report: `${renderTerminalReport(view)}\n\n${renderTerminalReport(companyView)}`,
    async stop() {
      await backend.stop();
      await simulator.stop();
      await store.close();
    },
  };
}
