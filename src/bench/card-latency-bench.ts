import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signedRequestHeaders } from '../adapters/hubspot/signature';
import { createStore } from '../adapters/store';
import { systemClock } from '../app/ports/clock';
import type { HubSpotPort } from '../app/ports/hubspot-port';
import { StaticPortalDirectory } from '../app/ports/portal-directory';
import type { RecordCommit, Store } from '../app/ports/store-ports';
import { cardApiPaths } from '../contracts/card-api';
import { DAY_MS, defaultModel, initialState, type CompiledModel, type LedgerEntry } from '../core';
import { createHttpApp } from '../http/create-http-app';
import { cardRoutes } from '../http/routes/card-routes';
import { createLogger } from '../main/logger';
import { percentile, runLoad, type LoadRequest } from './http-load';
import { seededRandom } from '../simulator/faults/seeded-random';
import type { Benchmark } from './types';

const PORTAL = 101;
const SECRET = 'bench-secret';
const CONCURRENCY = 20; // hubspot.fetch's cap per app and account
const HUBSPOT_FETCH_TIMEOUT_MS = 15_000;
const PATH = ['lead_acquired', 'nurturing', 'mql', 'appointment', 'opportunity'];

/** 100,000 ledger rows: records walking the path (5 rows each), written through the store's commit path in batches. */
async function seedPortal(store: Store, rows: number, now: number): Promise<string[]> {
  const records = Math.ceil(rows / PATH.length);
  const ids: string[] = [];
  for (let start = 0; start < records; start += 1_000) {
    const commits: RecordCommit[] = [];
    for (let i = start; i < Math.min(records, start + 1_000); i++) {
      const objectId = String(1_000_000 + i);
      ids.push(objectId);
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
        evidence: ['benchmark'],
        occurredAt: t0 + step * 10 * DAY_MS,
        source: 'rules',
        actor: null,
      }));
      const last = ledger.at(-1)!;
      const state = { ...initialState('contact', objectId), stage: last.toStage, enteredAt: last.occurredAt, previousStage: last.fromStage, lastTransitionKind: last.kind };
      commits.push({ key: { objectType: 'contact', objectId }, expectedVersion: null, state, wakeAt: null, newFactEvents: [], ledger, outbox: [], pause: null, alerts: [] });
    }
    await store.unitOfWork.commitEvaluations(PORTAL, commits, [], 'bench-seed', now);
  }
  return ids;
}

/**
 * The baseline: the same card served by recomputing from the portal's whole ledger (`ledger.entries`) on each
 * request and picking the record's rows out of it — what a card endpoint without per-record reads would do.
 */
function wholeLedgerStore(store: Store): Store {
  return {
    ...store,
    ledger: {
      ...store.ledger,
      history: async (portalId, key) => (await store.ledger.entries(portalId, { objectType: key.objectType })).filter((e) => e.objectId === key.objectId),
    },
  };
}

/** Every HubSpot call fails the run: the card's hot path must not reach HubSpot. */
function forbiddenHubSpot(calls: { count: number }): HubSpotPort {
  const refuse = async (): Promise<never> => {
    calls.count++;
    throw new Error('the card endpoint called HubSpot');
  };
  // A proxy: every method of the port, present and future, counts and fails.
  return new Proxy({ portalId: PORTAL } as HubSpotPort, { get: (target, name) => (name === 'portalId' ? target.portalId : refuse) });
}

async function serve(store: Store, model: CompiledModel, hubspotCalls: { count: number }): Promise<{ url: string; close: () => Promise<void> }> {
  const logger = createLogger('silent');
  const app = createHttpApp({
    logger,
    routers: [
      cardRoutes({
        store,
        model: () => model,
        hubspot: () => forbiddenHubSpot(hubspotCalls),
        portals: new StaticPortalDirectory([{ portalId: PORTAL, accessToken: 'unused', clientSecrets: [SECRET], rateLimit: 110 }]),
        clock: systemClock,
        logger,
        publicBaseUrl: undefined,
      }),
    ],
  });
  const server = http.createServer(app);
  // The whole-ledger baseline queues for tens of seconds at 20 concurrent: measure it rather than let Node cut it off.
  server.headersTimeout = 600_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Latencies {
  p50: number;
  p99: number;
  max: number;
  errors: number;
  perSecond: number;
}

/** `total` signed GETs of random contacts' cards, `CONCURRENCY` in flight, sent from the load worker thread. */
async function measure(url: string, ids: string[], total: number, seed: number): Promise<Latencies> {
  const random = seededRandom(seed);
  const requests: LoadRequest[] = Array.from({ length: total }, () => {
    const target = `${url}${cardApiPaths.contactView(ids[Math.floor(random() * ids.length)]!)}?portalId=${PORTAL}&userId=1`;
    // Signed up front (a run lasts seconds, well inside the 5-minute window), so signing costs the client nothing.
    const headers = signedRequestHeaders({ clientSecret: SECRET, method: 'GET', url: target, body: '', timestamp: Date.now(), legacyVersion: 'v2' });
    return { group: 'cards', method: 'GET', url: target, headers };
  });
  const load = await runLoad({ requests, concurrency: CONCURRENCY, check: 'contact-view' });
  const sorted = [...load.latenciesMs].sort((a, b) => a - b);
  const errors = total - (load.statuses['200'] ?? 0) + load.invalid;
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)!, errors, perSecond: total / (load.wallMs / 1000) };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export const cardLatencyBenchmark: Benchmark = {
  id: 'B5',
  title: 'Card endpoint latency (GET /cards/contact/:id, 100,000 ledger rows, 20 concurrent)',
  async run({ quick, log }) {
    const folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-b5-'));
    const store = await createStore(`sqlite:${path.join(folder, 'b5.db')}`);
    try {
      const model = defaultModel();
      const rows = 100_000;
      log(`seeding ${rows.toLocaleString('en-US')} ledger rows through the commit path…`);
      const seeded = performance.now();
      const ids = await seedPortal(store, rows, Date.now());
      log(`seeded ${(await store.ledger.count(PORTAL)).toLocaleString('en-US')} rows in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

      const hubspotCalls = { count: 0 };
      const ours = await serve(store, model, hubspotCalls);
      const baseline = await serve(wholeLedgerStore(store), model, hubspotCalls);
      try {
        const total = quick ? 400 : 4_000;
        await measure(ours.url, ids, 200, 7); // warm-up: JIT, SQLite page cache
        log(`measuring ${total} requests against the card endpoint…`);
        const card = await measure(ours.url, ids, total, 42);
        const baselineTotal = quick ? 20 : 100;
        log(`measuring ${baselineTotal} requests against the whole-ledger baseline…`);
        const slow = await measure(baseline.url, ids, baselineTotal, 43);
        const met = card.p50 < 20 && card.p99 < 100 && card.errors === 0 && hubspotCalls.count === 0;
        return {
          id: 'B5',
          title: this.title,
          lines: [
            `- Workload: ${rows.toLocaleString('en-US')} ledger rows in one portal (${ids.length.toLocaleString('en-US')} contacts × ${PATH.length} transitions) in SQLite; ${total.toLocaleString('en-US')} signed (v3) GETs of random contacts' cards over loopback HTTP, ${CONCURRENCY} in flight (hubspot.fetch's cap); each response validated against ContactLifecycleViewSchema.`,
            `- Card endpoint: p50 **${ms(card.p50)}**, p99 **${ms(card.p99)}**, max ${ms(card.max)}, ${Math.round(card.perSecond).toLocaleString('en-US')} requests/s, ${card.errors} errors, ${hubspotCalls.count} HubSpot calls.`,
            `- Baseline (same route, but the record's history recomputed from the portal's whole ledger, \`ledger.entries()\`, per request; ${baselineTotal} requests): p50 ${ms(slow.p50)}, p99 ${ms(slow.p99)}, ${slow.errors} errors.`,
            // Client and server share the machine: the load says how much of the figure is contention.
            `- Machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end of the run; the HTTP client runs in a worker thread of the same process (its own core), the server on the main thread.`,
            `- p99 against hubspot.fetch's ${HUBSPOT_FETCH_TIMEOUT_MS / 1000} s timeout: ${((card.p99 / HUBSPOT_FETCH_TIMEOUT_MS) * 100).toFixed(3)} % of the budget (${(HUBSPOT_FETCH_TIMEOUT_MS / card.p99).toFixed(0)}× headroom).`,
          ],
          ratio: { value: slow.p99 / card.p99, against: 'lower p99 than recomputing from the whole portal ledger' },
          target: { description: 'p50 < 20 ms, p99 < 100 ms, no errors, no HubSpot call on the hot path', met },
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
