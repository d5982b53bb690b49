import { WEBHOOK_PATH } from '../contracts/backend-routes';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../adapters/store';
import { signedRequestHeaders } from '../adapters/hubspot/signature';
import { contactReadProperties, DEAL_PROPERTIES } from '../app/facts/fact-properties';
import { SimulatedClock } from '../app/ports/clock';
import type { Store } from '../app/ports/store-ports';
import { defaultModel, type CompiledModel } from '../core';
import { startBackend, type Backend } from '../main/backend';
import { createLogger } from '../main/logger';
import { provisionAll, subscribeSimulator, type HubSpotTarget } from '../main/runtime';
import { startSimulator, type RunningSimulator } from '../simulator';
import { seededRandom } from '../simulator/faults/seeded-random';
import type { Benchmark } from './types';

const PORTAL = 101;
const EVENTS = 1_000;
const DUPLICATE_SHARE = 0.3;
const REORDER_SHARE = 0.1;
const NAIVE_CALLS_PER_EVENT = 2;

type Json = Record<string, unknown>;

/** Collects the webhook deliveries the simulator sends while the workload is recorded. */
async function startRecorder(): Promise<{ url: string; events: Json[]; stop: () => Promise<void> }> {
  const events: Json[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      events.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json[]));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, events, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface World {
  clock: SimulatedClock;
  sim: RunningSimulator;
  store: Store;
  backend: Backend;
  model: CompiledModel;
  folder: string;
  /** HubSpot calls of the current phase, by the gateway's operation name. */
  calls: Map<string, number>;
}

async function startWorld(): Promise<World> {
  const clock = new SimulatedClock(Date.UTC(2026, 2, 2, 9));
  const sim = await startSimulator({ clock });
  const folder = mkdtempSync(path.join(tmpdir(), 'lc-bench-b3-'));
  const store = await createStore(`sqlite:${path.join(folder, 'b3.db')}`);
  const model = defaultModel();
  const portals = sim.portals.map((p) => ({ portalId: p.portalId, accessToken: p.accessTokens[0]!, clientSecrets: [p.clientSecret], rateLimit: 110 }));
  const target: HubSpotTarget = { baseUrl: sim.baseUrl, portals, simulator: sim };
  await provisionAll(target, model, clock);
  const calls = new Map<string, number>();
  const backend = await startBackend({
    store,
    model: () => model,
    hubspotBaseUrl: sim.baseUrl,
    portals,
    clock,
    logger: createLogger('silent'),
    port: 0,
    runWorker: false,
    onHubSpotCall: (call) => calls.set(call.operation, (calls.get(call.operation) ?? 0) + 1),
  });
  subscribeSimulator(sim, backend.url);
  return { clock, sim, store, backend, model, folder, calls };
}

/** Delivers webhooks and runs the worker until nothing is left; time moves on only when what is left waits for it. */
async function runUntilQuiet(w: World): Promise<void> {
  for (let step = 0; step < 1_000; step++) {
    await w.sim.idle();
    await w.backend.runner.drain();
    await w.sim.idle();
    if ((await w.store.inbox.pendingCount()) + (await w.store.outbox.pendingCount()) === 0) return;
    w.clock.advance(1_000);
  }
  throw new Error('B3: the pipeline did not settle');
}

interface Recorded {
  stream: Json[];
  uniqueEvents: number;
  recycleEvents: number;
  duplicates: number;
  reordered: number;
  /** Which contact each deal belongs to (for the naive baseline's write). */
  contactOfDeal: Map<string, string>;
  contacts: number;
}

/**
 * The portal before the burst: 500 known contacts (Lead acquired), 100 of them with an open deal (Opportunity). Then the
 * burst is recorded from the simulator's own webhooks: 100 deals lost (their dealstage and lost-reason events are the
 * recycles), and email clicks, page views and form submissions across the other 400. The stream replayed is 700 unique
 * events + 300 HubSpot retries of them (attemptNumber 1), with 100 events moved out of order.
 */
async function recordWorkload(w: World, random: () => number): Promise<Recorded> {
  const contactIds = w.sim.control.seed(
    PORTAL,
    'contacts',
    Array.from({ length: 500 }, (_, i) => ({ email: `b3-${i}@acme.test`, firstname: `B3 ${i}` })),
  );
  const contactOfDeal = new Map<string, string>();
  for (const contactId of contactIds.slice(0, 100)) {
    const { dealId } = w.sim.control.recordActivity(PORTAL, { kind: 'deal_created', contactId, dealname: `Deal of ${contactId}` });
    contactOfDeal.set(dealId!, contactId);
  }
  await runUntilQuiet(w);
  w.clock.advance(2 * 86_400_000);

  const recorder = await startRecorder();
  subscribeSimulator(w.sim, recorder.url);
  for (const dealId of contactOfDeal.keys()) {
    w.sim.control.recordActivity(PORTAL, { kind: 'deal_stage_changed', dealId, dealstage: 'closedlost', lostReason: 'Went with a competitor' });
  }
  await w.sim.idle();
  const recycleEvents = recorder.events.length;
  const others = contactIds.slice(100);
  const kinds = ['email_click', 'page_view', 'page_view', 'form_submission'] as const;
  for (let i = 0; recorder.events.length < EVENTS * (1 - DUPLICATE_SHARE); i++) {
    w.clock.advance(1_000);
    const contactId = others[Math.floor(random() * others.length)]!;
    const kind = kinds[i % kinds.length]!;
    if (kind === 'email_click') w.sim.control.recordActivity(PORTAL, { kind, contactId });
    else if (kind === 'page_view') w.sim.control.recordActivity(PORTAL, { kind, contactId, url: `https://acme.test/page-${i % 7}` });
    else w.sim.control.recordActivity(PORTAL, { kind, contactId, formKind: 'newsletter', formName: 'Newsletter' });
    await w.sim.idle();
  }
  await recorder.stop();
  subscribeSimulator(w.sim, w.backend.url);

  const unique = recorder.events.slice(0, EVENTS * (1 - DUPLICATE_SHARE));
  const retries: Json[] = Array.from({ length: EVENTS - unique.length }, (): Json => ({ ...unique[Math.floor(random() * unique.length)]!, attemptNumber: 1 }));
  // Retries arrive after their originals, spread over the rest of the burst.
  const stream: Json[] = [...unique];
  for (const retry of retries) {
    const original = stream.findIndex((e) => e['eventId'] === retry['eventId']);
    stream.splice(original + 1 + Math.floor(random() * (stream.length - original)), 0, retry);
  }
  const reordered = Math.round(EVENTS * REORDER_SHARE);
  for (let moved = 0; moved < reordered; moved++) {
    const from = Math.floor(random() * stream.length);
    const [event] = stream.splice(from, 1);
    stream.splice(Math.floor(random() * stream.length), 0, event!);
  }
  return { stream, uniqueEvents: unique.length, recycleEvents, duplicates: retries.length, reordered, contactOfDeal, contacts: contactIds.length };
}

/** POSTs the stream as HubSpot would: signed deliveries of 100 events, in stream order. */
async function deliver(w: World, stream: Json[], afterEach: () => Promise<void>): Promise<void> {
  const url = `${w.backend.url}${WEBHOOK_PATH}`;
  const secret = w.sim.portals[0]!.clientSecret;
  for (let i = 0; i < stream.length; i += 100) {
    const body = JSON.stringify(stream.slice(i, i + 100));
    const headers = signedRequestHeaders({ clientSecret: secret, method: 'POST', url, body, timestamp: w.clock.now(), legacyVersion: 'v1' });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    if (response.status !== 200) throw new Error(`B3: delivery refused with ${response.status}: ${await response.text()}`);
    await afterEach();
  }
}

function endpointLines(byEndpoint: Record<string, number>): string {
  return Object.entries(byEndpoint)
    .sort((a, b) => b[1] - a[1])
    .map(([endpoint, n]) => `\`${endpoint}\` ${n}`)
    .join(', ');
}

interface Measured {
  calls: number;
  byEndpoint: Record<string, number>;
  stages: Record<string, number>;
}

/** Ours: the stream through the webhook route, the inbox, the worker (coalescing, batch reads) and the batched outbox. */
async function measureOurs(mode: 'burst' | 'trickle', seed: number): Promise<Measured & { recorded: Recorded }> {
  const w = await startWorld();
  try {
    const recorded = await recordWorkload(w, seededRandom(seed));
    w.calls.clear();
    w.sim.control.resetStats();
    // burst: the worker finds the whole burst in the inbox; trickle: it runs a round after every delivery.
    await deliver(w, recorded.stream, mode === 'trickle' ? async () => void (await w.backend.runner.round()) : async () => undefined);
    await runUntilQuiet(w);
    const stats = w.sim.control.stats().portals[String(PORTAL)]!;
    const stages: Record<string, number> = {};
    for (const record of w.sim.state.portal(PORTAL).crm.all('contacts')) {
      const stage = record.properties.get('lc_stage') || '(none)';
      stages[stage] = (stages[stage] ?? 0) + 1;
    }
    return { recorded, calls: [...w.calls.values()].reduce((a, b) => a + b, 0), byEndpoint: stats.byEndpoint, stages };
  } finally {
    await stopWorld(w);
  }
}

/**
 * The naive integration, measured on the same recorded stream through the same gateway (limiter, SDK, simulator):
 * for every event delivered, read its record and write the contact's stage back — one call each.
 */
async function measureNaive(seed: number): Promise<Measured> {
  const w = await startWorld();
  try {
    const recorded = await recordWorkload(w, seededRandom(seed));
    const gateway = w.backend.gateways.get(PORTAL)!;
    const properties = contactReadProperties(w.model);
    w.calls.clear();
    w.sim.control.resetStats();
    for (const event of recorded.stream) {
      const objectId = String(event['objectId']);
      const isDeal = event['objectTypeId'] === '0-3';
      const { records } = await gateway.batchRead(isDeal ? 'deal' : 'contact', [objectId], isDeal ? DEAL_PROPERTIES : properties);
      const contactId = isDeal ? recorded.contactOfDeal.get(objectId)! : objectId;
      const current = isDeal ? 'recycle_b' : (records[0]?.properties['lc_stage'] ?? 'lead_acquired');
      await gateway.batchUpdate('contact', [{ id: contactId, properties: { lc_stage: current || 'lead_acquired' } }]);
    }
    const stats = w.sim.control.stats().portals[String(PORTAL)]!;
    return { calls: [...w.calls.values()].reduce((a, b) => a + b, 0), byEndpoint: stats.byEndpoint, stages: {} };
  } finally {
    await stopWorld(w);
  }
}

async function stopWorld(w: World): Promise<void> {
  await w.backend.stop();
  await w.sim.stop();
  await w.store.close();
  rmSync(w.folder, { recursive: true, force: true });
}

export const apiCallsBenchmark: Benchmark = {
  id: 'B3',
  title: 'HubSpot API calls per 1,000 webhook events (20 % recycles, 30 % duplicates, 10 % out of order)',
  async run({ log }) {
    const seed = 7;
    log('ours, burst: the 1,000 events are in the inbox when the worker runs…');
    const burst = await measureOurs('burst', seed);
    log('ours, trickle: a worker round after every 100-event delivery…');
    const trickle = await measureOurs('trickle', seed);
    log('naive baseline: one read and one write per event, same events, same gateway…');
    const naive = await measureNaive(seed);
    const r = burst.recorded;
    const per1000 = (calls: number) => (calls * 1_000) / r.stream.length;
    if (r.stream.length !== EVENTS) throw new Error(`B3: the stream has ${r.stream.length} events, not ${EVENTS}`);
    return {
      id: 'B3',
      title: this.title,
      lines: [
        `- Recorded from the simulator's own webhooks (portal of ${r.contacts} known contacts, 100 with an open deal): ${r.uniqueEvents} unique events — ` +
          `${r.recycleEvents} of them (${Math.round((100 * r.recycleEvents) / EVENTS)} % of the stream) the dealstage/lost-reason changes of 100 lost deals that recycle their contacts, the rest email clicks, page views and form submissions — ` +
          `plus ${r.duplicates} HubSpot retries (attemptNumber 1, ${Math.round((100 * r.duplicates) / EVENTS)} %), ${r.reordered} events moved out of order (${Math.round((100 * r.reordered) / EVENTS)} %); ${EVENTS.toLocaleString('en-US')} events in 10 signed deliveries.`,
        `- Every call counted at the gateway (onCall) and by the simulator, until the inbox and outbox were empty — including the reads caused by the webhooks our own writes trigger (lifecyclestage changes).`,
        `- Ours, burst (the worker finds the whole burst in the inbox): **${per1000(burst.calls).toFixed(0)} calls per 1,000 events** — ${endpointLines(burst.byEndpoint)}.`,
        `- Ours, trickle (a worker round after every delivery, the least coalescing): ${per1000(trickle.calls).toFixed(0)} calls per 1,000 events — ${endpointLines(trickle.byEndpoint)}.`,
        `- Outcome in HubSpot (lc_stage of the ${r.contacts} contacts after the burst): ${Object.entries(burst.stages)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')}.`,
        `- Naive baseline, measured (one batch read of the event's record + one batch update of its contact per event, through the same gateway): ` +
          `${per1000(naive.calls).toFixed(0)} calls per 1,000 events (model: ${NAIVE_CALLS_PER_EVENT * 1_000}) — ${endpointLines(naive.byEndpoint)}.`,
        `- Naive ÷ ours: ${(naive.calls / burst.calls).toFixed(1)}× (burst), ${(naive.calls / trickle.calls).toFixed(1)}× (trickle).`,
      ],
      ratio: { value: naive.calls / burst.calls, against: 'fewer calls than the measured naive read+write-per-event baseline (burst)' },
      target: {
        description: `≤ 24 calls per 1,000 events, ≥ 80× fewer than naive (measured ${per1000(burst.calls).toFixed(0)} burst / ${per1000(trickle.calls).toFixed(0)} trickle)`,
        met: per1000(burst.calls) <= 24 && naive.calls / burst.calls >= 80,
      },
    };
  },
};
