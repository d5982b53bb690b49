import { PreviewJobs } from '../app/models/preview-jobs';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signedRequestHeaders } from '../adapters/hubspot/signature';
import { createStore } from '../adapters/store';
import { ModelRegistry } from '../app/models/model-registry';
import { systemClock } from '../app/ports/clock';
import type { HubSpotPort } from '../app/ports/hubspot-port';
import { StaticPortalDirectory } from '../app/ports/portal-directory';
import type { RecordCommit, Store } from '../app/ports/store-ports';
import { settingsApiPaths } from '../contracts/settings-api';
import { DAY_MS, defaultModel, defaultModelDocument, initialState, type LedgerEntry } from '../core';
import { createHttpApp } from '../http/create-http-app';
import { settingsRoutes } from '../http/routes/settings-routes';
import { actionRoutes } from '../http/routes/action-routes';
import { workflowActionOptionsPath } from '../contracts/backend-routes';
import { createLogger } from '../main/logger';
import { whatIfOnWorkerThread, type StoreLocation } from '../main/replay/what-if-worker';
import { percentile, runLoad, type LoadRequest } from './http-load';
import type { Benchmark } from './types';

const PORTAL = 101;
const SECRET = 'bench-secret';
const CONCURRENCY = 20; // hubspot.fetch's cap per app and account
const PATH = ['lead_acquired', 'nurturing', 'mql', 'appointment', 'opportunity'];
const TARGET_P99_MS = 300;

/** B7's ledger size (contacts walking the path, 5 rows each), and a long model history: `revisions` published edits. */
async function seedPortal(store: Store, contacts: number, revisions: number, now: number): Promise<void> {
  for (let start = 0; start < contacts; start += 1_000) {
    const commits: RecordCommit[] = [];
    for (let i = start; i < Math.min(contacts, start + 1_000); i++) {
      const objectId = String(1_000_000 + i);
      const t0 = now - 200 * DAY_MS + i * 60_000;
      const ledger: LedgerEntry[] = PATH.map((to, step) => ({
        transitionId: `bench-${objectId}-${step}`,
        objectType: 'contact',
        objectId,
        fromStage: step === 0 ? null : PATH[step - 1]!,
        toStage: to,
        kind: step === 0 ? 'enter' : 'advance',
        skipped: [],
        ruleId: 'bench',
        reason: `Benchmark move to ${to}`,
        reasonCode: null,
        evidence: [],
        occurredAt: t0 + step * 10 * DAY_MS,
        source: 'rules',
        actor: null,
        modelRevision: 1,
      }));
      const last = ledger.at(-1)!;
      const state = { ...initialState('contact', objectId), stage: last.toStage, enteredAt: last.occurredAt, lastTransitionKind: last.kind };
      commits.push({ key: { objectType: 'contact', objectId }, expectedVersion: null, state, wakeAt: null, newFactEvents: [], ledger, outbox: [], pause: null, alerts: [] });
    }
    await store.unitOfWork.commitEvaluations(PORTAL, commits, [], 'bench-seed', now);
  }
  await store.modelRevisions.seed(PORTAL, defaultModelDocument, 'seeded', now);
  for (let i = 0; i < revisions; i++) {
    const document = structuredClone(defaultModelDocument) as { stages: Array<{ id: string; slaDays?: number }> };
    document.stages.find((s) => s.id === 'mql')!.slaDays = 1 + (i % 10);
    const draft = await store.modelRevisions.saveDraft(PORTAL, { document, note: `edit ${i}`, author: 'bench@example.com' }, now + i);
    await store.modelRevisions.publish(PORTAL, draft.revision, 'bench@example.com', now + i);
  }
}

/** The baseline: the history answered by reading every revision with its document (no paging, no summaries). */
function wholeHistoryStore(store: Store): Store {
  const revisions = store.modelRevisions;
  return {
    ...store,
    modelRevisions: {
      published: (portalId) => revisions.published(portalId),
      publishedRevisions: (portalIds) => revisions.publishedRevisions(portalIds),
      draft: (portalId) => revisions.draft(portalId),
      get: (portalId, revision) => revisions.get(portalId, revision),
      seed: (portalId, document, note, now) => revisions.seed(portalId, document, note, now),
      saveDraft: (portalId, draft, now) => revisions.saveDraft(portalId, draft, now),
      publish: (portalId, revision, by, now) => revisions.publish(portalId, revision, by, now),
      list: async (portalId, options) => {
        const all = await revisions.list(portalId, { limit: 1_000_000 });
        const full = await Promise.all(all.map((r) => revisions.get(portalId, r.revision)));
        return full.flatMap((r) => (r ? [r] : [])).slice(0, options.limit);
      },
    },
  };
}

/** Every HubSpot call fails the run: only the preview reads HubSpot (fitting the draft to the portal's stages), and it is not measured here. */
const forbiddenHubSpot = new Proxy({ portalId: PORTAL } as HubSpotPort, {
  get: (target, name) => (name === 'portalId' ? target.portalId : () => Promise.reject(new Error('the settings API called HubSpot'))),
});

async function serve(store: Store, database: StoreLocation): Promise<{ url: string; previews: PreviewJobs; close: () => Promise<void> }> {
  const logger = createLogger('silent');
  const models = new ModelRegistry({ revisions: store.modelRevisions, seedDocument: defaultModelDocument, fallback: () => defaultModel(), logger, now: () => systemClock.now() });
  await models.refresh([PORTAL]);
  const portals = new StaticPortalDirectory([{ portalId: PORTAL, accessToken: 'unused', clientSecrets: [SECRET], rateLimit: 110 }]);
  const previews = new PreviewJobs({ store, models, clock: systemClock, logger, replayer: (job) => whatIfOnWorkerThread(database, job) });
  const routes = { store, hubspot: () => forbiddenHubSpot, portals, clock: systemClock, logger, publicBaseUrl: undefined };
  // The workflow editor's option lists (optionsUrl) are answered from the same registry: measured with the settings reads.
  const app = createHttpApp({
    logger,
    routers: [settingsRoutes({ ...routes, models, previews }), actionRoutes({ ...routes, model: models.modelFor })],
  });
  const server = http.createServer(app);
  server.headersTimeout = 600_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, previews, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Latencies {
  p50: number;
  p99: number;
  errors: number;
  /** Process CPU (user + system) per call: the server, plus the load worker thread's HTTP client. */
  cpuMsPerCall: number;
  /** Time the main thread (where the server runs; the load generator is a worker thread) was busy, per call. */
  serverBusyMsPerCall: number;
}

/** `total` signed calls of one settings endpoint, `CONCURRENCY` in flight, from the load worker thread. */
async function measure(url: string, pathAndQuery: string, method: 'GET' | 'PUT' | 'POST', body: unknown, total: number): Promise<Latencies> {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const requests: LoadRequest[] = Array.from({ length: total }, () => {
    const target = `${url}${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}portalId=${PORTAL}&userId=1&userEmail=bench%40example.com`;
    const headers = signedRequestHeaders({ clientSecret: SECRET, method, url: target, body: raw, timestamp: Date.now(), legacyVersion: 'v2' });
    return { group: 'settings', method, url: target, headers: { ...headers, 'content-type': 'application/json' }, ...(raw === '' ? {} : { body: raw }) };
  });
  const cpu = process.cpuUsage();
  const busy = performance.eventLoopUtilization();
  const load = await runLoad({ requests, concurrency: CONCURRENCY });
  const used = process.cpuUsage(cpu);
  const serverBusy = performance.eventLoopUtilization(busy).active;
  const sorted = [...load.latenciesMs].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: total - (load.statuses['200'] ?? 0),
    cpuMsPerCall: (used.user + used.system) / 1000 / total,
    serverBusyMsPerCall: serverBusy / total,
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const cpuMs = (used: NodeJS.CpuUsage) => (used.user + used.system) / 1000;

export const settingsLatencyBenchmark: Benchmark = {
  id: 'B10',
  title: 'Settings API latency (model revisions; B7 ledger size, 20 concurrent)',
  async run({ quick, log }) {
    const folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-b10-'));
    const database: StoreLocation = { url: `sqlite:${path.join(folder, 'b10.db')}`, pgSchema: null };
    const store = await createStore(database.url);
    try {
      const contacts = quick ? 5_000 : Number(process.env['B7_CONTACTS'] ?? 100_000);
      const revisions = quick ? 50 : 500;
      log(`seeding ${contacts.toLocaleString('en-US')} contacts (${(contacts * PATH.length).toLocaleString('en-US')} ledger rows) and ${revisions} published revisions…`);
      await seedPortal(store, contacts, revisions, Date.now());
      const ours = await serve(store, database);
      const baseline = await serve(wholeHistoryStore(store), database);
      try {
        const total = quick ? 200 : 2_000;
        const draft = { document: defaultModelDocument, note: 'bench' };
        await measure(ours.url, settingsApiPaths.model(), 'GET', undefined, 50); // warm-up
        const endpoints: Array<[string, string, 'GET' | 'PUT' | 'POST', unknown]> = [
          ['GET /settings/model', settingsApiPaths.model(), 'GET', undefined],
          ['GET /settings/model/revisions', settingsApiPaths.revisions(), 'GET', undefined],
          ['GET …/revisions/:n/diff', settingsApiPaths.diff(revisions, 1), 'GET', undefined],
          ['PUT /settings/model/draft', settingsApiPaths.draft(), 'PUT', draft],
          [
            'POST /actions/dead-end/options',
            workflowActionOptionsPath('dead-end'),
            'POST',
            { origin: { portalId: PORTAL, actionDefinitionId: 1, actionDefinitionVersion: 1 }, inputFieldName: 'reason', inputFields: {}, fetchOptions: {} },
          ],
        ];
        const figures: Array<[string, Latencies]> = [];
        for (const [name, pathAndQuery, method, body] of endpoints) {
          log(`measuring ${total} × ${name}…`);
          figures.push([name, await measure(ours.url, pathAndQuery, method, body, total)]);
        }
        // The Preview's poll, the call the settings page repeats while a preview runs: a finished job of this draft
        // (the replay itself is B8's figure).
        log('running one preview of the draft…');
        const startCpu = process.cpuUsage();
        const startWall = performance.now();
        const started = await ours.previews.start(PORTAL, { start: Date.now() - 90 * 86_400_000, end: Date.now() }, 'bench@example.com');
        const startMs = { wall: performance.now() - startWall, cpu: cpuMs(process.cpuUsage(startCpu)) };
        if (started.outcome === 'no_draft') throw new Error('B10: the draft was not saved');
        await ours.previews.settled();
        const jobMs = { wall: performance.now() - startWall, cpu: cpuMs(process.cpuUsage(startCpu)) };
        log(`measuring ${total} × GET /settings/model/preview/:job…`);
        figures.push(['GET /settings/model/preview/:job (poll)', await measure(ours.url, settingsApiPaths.previewJob(started.job.id), 'GET', undefined, total)]);
        const baselineTotal = quick ? 40 : 200;
        log(`measuring ${baselineTotal} × the whole-history baseline…`);
        const slow = await measure(baseline.url, settingsApiPaths.revisions(), 'GET', undefined, baselineTotal);
        const history = figures[1]![1];
        const worst = Math.max(...figures.map(([, f]) => f.p99));
        const errors = figures.reduce((sum, [, f]) => sum + f.errors, 0);
        return {
          id: 'B10',
          title: this.title,
          lines: [
            `- Workload: ${(contacts * PATH.length).toLocaleString('en-US')} ledger rows (${contacts.toLocaleString('en-US')} contacts) and ${revisions + 1} model revisions in one portal, SQLite; ${total.toLocaleString('en-US')} signed (v3) calls per endpoint over loopback HTTP, ${CONCURRENCY} in flight.`,
            ...figures.map(
              ([name, f]) =>
                `- ${name}: p50 **${ms(f.p50)}**, p99 **${ms(f.p99)}**, ${f.errors} errors; CPU ${f.cpuMsPerCall.toFixed(2)} ms per call (process, with the load client), server thread busy ${f.serverBusyMsPerCall.toFixed(2)} ms per call.`,
            ),
            `- Baseline (the history listed by reading every revision with its document; ${baselineTotal} calls): p50 ${ms(slow.p50)}, p99 ${ms(slow.p99)}.`,
            `- The preview: POST /settings/model/preview starts a background job and answers at once (here ${ms(startMs.wall)}, ${startMs.cpu.toFixed(1)} ms of CPU); the job replayed the ${contacts.toLocaleString('en-US')} contacts in ${ms(jobMs.wall)} (${jobMs.cpu.toFixed(0)} ms of CPU, with the start), the replay's cost being B8's and growing with the portal by design; the page then polls GET …/preview/:job (above).`,
            `- Machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end of the run.`,
          ],
          ratio: { value: slow.p99 / history.p99, against: 'lower p99 for the history than reading every revision' },
          target: {
            description: `p99 < ${TARGET_P99_MS} ms for every settings read, the draft save and the workflow editor's option list, no errors`,
            met: worst < TARGET_P99_MS && errors === 0,
          },
        };
      } finally {
        await ours.close();
        await baseline.close();
      }
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
