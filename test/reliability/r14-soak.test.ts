import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { LedgerEntry } from '../../src/core';
import { startBackend, type Backend } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import { subscribeSimulator } from '../../src/main/runtime';
import { CallLog, runUntilQuiet } from '../e2e/failures-support';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { step } from './support';

/**
 * R14 (docs/reliability.md §7): a 10,000-event soak against the simulated HubSpot while 2 % of its API requests
 * fail at random (1.5 % answered 500, 0.5 % hanging past our client timeout). Pass criteria:
 *  - HubSpot's certification budget: error responses ≤ 5 % of the calls we make (§2) — retries must not storm;
 *  - zero lost events (I1, I4): every event HubSpot delivered is in the inbox once and completed, nothing
 *    dead-lettered, and the ledger holds exactly the transitions the facts call for, once each;
 *  - I2: every contact ends, in HubSpot, in the stage its facts call for.
 *
 * The world is built from five kinds of contact, each with its own short story over four days. A fault-free run of
 * one contact of each kind checks the expectations and measures how many webhook events one "cycle" of stories
 * makes; the soak then runs as many cycles as it takes for HubSpot to emit ≥ R14_EVENTS events (default 10,000),
 * on the same simulated timeline, with the faults on. The whole product is real (simulator, webhook route, SQLite
 * store, worker, outbox, gateway); the test drives the worker and moves the simulated clock (runUntilQuiet).
 *
 * About the dice: the simulator draws each request's fault from a seeded sequence in arrival order, so which
 * requests fail depends only on how many came before, not on which they were. Batching makes 10,000 events cost
 * only ~120–150 calls, i.e. 2–4 faults: a 2 % draw alone can then exceed 5 % (seed 14: 7 faults in the first 139
 * requests). With the default seed 42 the faults fall on requests #10 (hang), #61 (500), #127 (hang), #241 (hang),
 * #252 (500)…, i.e. ≤ 3.3 % of any run of ≥ 60 calls and always one client timeout, however the run interleaves. So
 * that the budget check says something about the backend rather than the dice, the test also asserts that every
 * error response we got is one the simulator injected: the backend adds none of its own (no 429, no storm).
 */

const TARGET_EVENTS = Number(process.env['R14_EVENTS'] ?? 10_000);
/** The simulator's fault dice (its default seed; see "About the dice"); R14_SEED replays another draw. */
const FAULT_SEED = Number(process.env['R14_SEED'] ?? 42);
const ERROR_RATE = 0.015;
const TIMEOUT_RATE = 0.005;
/** Our HubSpot client timeout in this test (real ms), and how long a faulty request hangs before HubSpot's 504. */
const CLIENT_TIMEOUT_MS = 1_000;
const HANG_MS = 2_500;
const START = Date.UTC(2026, 0, 5, 9);

type Kind = 'nurtured' | 'mql' | 'opportunity' | 'recycled' | 'dead_end';
const KINDS: Kind[] = ['nurtured', 'mql', 'opportunity', 'recycled', 'dead_end'];

/**
 * Where each kind of contact must end, and through which transitions, by construction of its story (see
 * `playStories`; docs/lifecycle-model.md): one ledger row per step, in this order.
 */
const EXPECTED: Record<Kind, { lc_stage: string; lifecyclestage: string; steps: string[] }> = {
  nurtured: { lc_stage: 'nurturing', lifecyclestage: 'lead', steps: ['∅→lead_acquired (enter)', 'lead_acquired→nurturing (advance)'] },
  mql: {
    lc_stage: 'mql',
    lifecyclestage: 'marketingqualifiedlead',
    steps: ['∅→lead_acquired (enter)', 'lead_acquired→nurturing (advance)', 'nurturing→mql (advance)'],
  },
  opportunity: {
    lc_stage: 'opportunity',
    lifecyclestage: 'opportunity',
    steps: ['∅→lead_acquired (enter)', 'lead_acquired→nurturing (advance)', 'nurturing→opportunity (fastpass)'],
  },
  recycled: {
    lc_stage: 'recycle_b',
    lifecyclestage: 'lead',
    steps: ['∅→lead_acquired (enter)', 'lead_acquired→opportunity (fastpass)', 'opportunity→recycle_b (recycle)'],
  },
  dead_end: { lc_stage: 'dead_end', lifecyclestage: 'other', steps: ['∅→lead_acquired (enter)', 'lead_acquired→dead_end (dead_end)'] },
};
const STEPS_PER_CYCLE = KINDS.reduce((n, kind) => n + EXPECTED[kind].steps.length, 0);

interface World {
  h: PipelineHarness;
  /** The backend under test: the real one, with a short HubSpot client timeout so hangs become client timeouts. */
  backend: Backend;
  /** The harness with `backend` in place of its own (for runUntilQuiet). */
  driven: PipelineHarness;
  log: CallLog;
  /** A read connection to the store's SQLite file, to count inbox rows by status. */
  db: BetterSqlite3.Database;
  stop(): Promise<void>;
}

async function buildWorld(): Promise<World> {
  const folder = mkdtempSync(path.join(tmpdir(), 'lc-r14-'));
  const file = path.join(folder, 'lifecycle.db');
  const log = new CallLog();
  const h = await startPipelineHarness({ databaseUrl: `sqlite:${file}`, start: START });
  log.bindClock(() => h.clock.now());
  const portals = h.sim.portals.map((p) => ({ portalId: p.portalId, accessToken: p.accessTokens[0]!, clientSecrets: [p.clientSecret], rateLimit: 110 }));
  const backend = await startBackend({
    store: h.store,
    model: h.modelFor,
    hubspotBaseUrl: h.sim.baseUrl,
    portals,
    clock: h.clock,
    logger: createLogger('silent'),
    port: 0,
    runWorker: false,
    hubspotTimeoutMs: CLIENT_TIMEOUT_MS,
    onHubSpotCall: log.hook,
  });
  // HubSpot delivers to this backend from now on; the harness's own backend stays idle.
  subscribeSimulator(h.sim, backend.url);
  // Provisioning is done: from here on the simulator counts only the calls of the backend under test.
  h.sim.control.resetStats();
  const db = new BetterSqlite3(file, { readonly: true });
  return {
    h,
    backend,
    driven: { ...h, backend },
    log,
    db,
    async stop() {
      db.close();
      await backend.stop();
      await h.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The facts, in four daily phases; after each phase the pipeline runs until quiet. Each phase starts at a fixed
 * instant, so a run slowed down by retries and backoff sees its facts at the same times as the fault-free oracle.
 */
async function playStories(world: World, perKind: number): Promise<{ kindOf: Map<string, Kind>; seconds: number[] }> {
  const { h, driven } = world;
  const kindOf = new Map<string, Kind>();
  const ids: Record<Kind, string[]> = { nurtured: [], mql: [], opportunity: [], recycled: [], dead_end: [] };
  const seconds: number[] = [];
  const phase = async (day: number, act: () => void) => {
    const started = performance.now();
    h.clock.set(Math.max(h.clock.now(), START + day * DAY));
    act();
    await runUntilQuiet(driven, { stepMs: 1_000, maxSteps: 20_000 });
    seconds.push((performance.now() - started) / 1000);
  };
  const dealOf = new Map<string, string>();

  await phase(0, () => {
    for (const kind of KINDS) {
      const people = Array.from({ length: perKind }, (_, i) => ({
        email: kind === 'dead_end' ? `rival-${i}@competitor.example` : `${kind}-${i}@acme.test`,
        firstname: `${kind} ${i}`,
      }));
      ids[kind] = h.sim.control.seed(PORTAL, 'contacts', people);
      for (const id of ids[kind]) kindOf.set(id, kind);
    }
  });
  await phase(1, () => {
    for (const kind of ['nurtured', 'mql', 'opportunity'] as const) for (const id of ids[kind]) h.activity({ kind: 'email_click', contactId: id });
    for (const id of ids.recycled) dealOf.set(id, h.activity({ kind: 'deal_created', contactId: id, dealname: 'Pilot' }).dealId!);
    for (const id of ids.dead_end) h.activity({ kind: 'page_view', contactId: id, url: 'https://acme.test/pricing' });
  });
  await phase(2, () => {
    for (const id of ids.nurtured) h.activity({ kind: 'page_view', contactId: id, url: 'https://acme.test/blog' });
    for (const id of ids.mql) h.activity({ kind: 'form_submission', contactId: id, formKind: 'demo_request', formName: 'Demo request' });
    for (const id of ids.opportunity) h.activity({ kind: 'deal_created', contactId: id, dealname: 'Expansion' });
    for (const id of ids.dead_end) h.activity({ kind: 'email_click', contactId: id });
  });
  await phase(3, () => {
    for (const id of ids.nurtured) h.activity({ kind: 'email_click', contactId: id });
    for (const id of ids.mql) h.activity({ kind: 'page_view', contactId: id, url: 'https://acme.test/pricing' });
    for (const id of ids.opportunity) h.activity({ kind: 'meeting_booked', contactId: id, title: 'Kick-off' });
    for (const id of ids.recycled) h.activity({ kind: 'deal_stage_changed', dealId: dealOf.get(id)!, dealstage: 'closedlost', lostReason: 'No budget' });
    for (const id of ids.dead_end) h.activity({ kind: 'page_view', contactId: id, url: 'https://acme.test/careers' });
  });
  return { kindOf, seconds };
}

interface Outcome {
  /** Distinct events HubSpot delivered and the backend acknowledged. */
  delivered: number;
  /** Webhook deliveries the backend did not acknowledge with 2xx. */
  refusedDeliveries: number;
  inboxByStatus: Record<string, number>;
  /** Inbox events that had to be retried (a HubSpot call failed while they were processed). */
  retriedEvents: number;
  /** Contact transitions per kind, as the ledger tells them, for each contact. */
  stepsByKind: Record<Kind, Set<string>>;
  stagesByKind: Record<Kind, Set<string>>;
  ledger: LedgerEntry[];
}

async function outcome(world: World, kindOf: Map<string, Kind>): Promise<Outcome> {
  const { h, db } = world;
  const attempts = h.sim.control.webhookAttempts(PORTAL);
  const delivered = new Set(attempts.filter((a) => a.status !== undefined && a.status >= 200 && a.status < 300).flatMap((a) => a.eventIds)).size;
  const inboxByStatus = Object.fromEntries(
    (db.prepare('SELECT status, count(*) AS n FROM inbox_events WHERE portal_id = ? GROUP BY status').all(PORTAL) as Array<{ status: string; n: number }>).map((r) => [r.status, r.n]),
  );
  const retried = db.prepare('SELECT count(*) AS n FROM inbox_events WHERE portal_id = ? AND attempts > 1').get(PORTAL) as { n: number };
  const ledger = await h.store.ledger.entries(PORTAL);
  const stepsOf = new Map<string, string[]>();
  for (const entry of ledger) if (entry.objectType === 'contact') stepsOf.set(entry.objectId, [...(stepsOf.get(entry.objectId) ?? []), step(entry)]);
  const stepsByKind = Object.fromEntries(KINDS.map((k) => [k, new Set<string>()])) as Record<Kind, Set<string>>;
  const stagesByKind = Object.fromEntries(KINDS.map((k) => [k, new Set<string>()])) as Record<Kind, Set<string>>;
  const crm = h.sim.state.portal(PORTAL).crm;
  for (const [id, kind] of kindOf) {
    stepsByKind[kind].add((stepsOf.get(id) ?? []).join(' · '));
    const record = crm.require('contacts', id);
    stagesByKind[kind].add(`${record.properties.get('lc_stage') ?? '(none)'} / ${record.properties.get('lifecyclestage') ?? '(none)'}`);
  }
  return {
    delivered,
    refusedDeliveries: attempts.filter((a) => a.status === undefined || a.status < 200 || a.status >= 300).length,
    inboxByStatus,
    retriedEvents: retried.n,
    stepsByKind,
    stagesByKind,
    ledger,
  };
}

/** Every contact of the kind ends in its expected stage (one distinct value), through its expected steps. */
const expectedStage = (kind: Kind) => new Set([`${EXPECTED[kind].lc_stage} / ${EXPECTED[kind].lifecyclestage}`]);
const expectedSteps = (kind: Kind) => new Set([EXPECTED[kind].steps.join(' · ')]);

describe(`R14: a ${TARGET_EVENTS.toLocaleString('en')}-event soak with 2 % random HubSpot faults`, () => {
  let oracle: Outcome;

  beforeAll(async () => {
    // The oracle: one contact of each kind, HubSpot healthy.
    const world = await buildWorld();
    try {
      const { kindOf } = await playStories(world, 1);
      oracle = await outcome(world, kindOf);
      expect(world.log.calls.every((c) => c.ok)).toBe(true);
    } finally {
      await world.stop();
    }
  }, 60_000);

  it('the oracle itself: each kind of contact ends where its story leads, every event delivered once and completed', () => {
    for (const kind of KINDS) {
      expect(oracle.stagesByKind[kind]).toEqual(expectedStage(kind));
      expect(oracle.stepsByKind[kind]).toEqual(expectedSteps(kind));
    }
    expect(oracle.ledger).toHaveLength(STEPS_PER_CYCLE);
    expect(oracle.delivered).toBeGreaterThanOrEqual(KINDS.length * 5);
    expect(oracle.inboxByStatus).toEqual({ done: oracle.delivered });
  });

  it('loses no event, writes each transition once, ends every contact in its stage, and keeps HubSpot errors ≤ 5 % of calls', async () => {
    // Enough contacts of each kind for HubSpot to emit the target number of events (the oracle emitted
    // `oracle.delivered` for one of each).
    const perKind = Math.ceil(TARGET_EVENTS / oracle.delivered);
    const world = await buildWorld();
    const started = performance.now();
    try {
      world.h.sim.control.setFaults(PORTAL, { errorRate: ERROR_RATE, timeoutRate: TIMEOUT_RATE, hangMs: HANG_MS, seed: FAULT_SEED });
      const { kindOf, seconds } = await playStories(world, perKind);
      const got = await outcome(world, kindOf);
      const { calls } = world.log;
      const errors = calls.filter((c) => !c.ok);
      const timeouts = errors.filter((c) => c.status === null);
      const elapsed = (performance.now() - started) / 1000;
      console.log(
        `R14 soak: ${kindOf.size} contacts, ${got.delivered} events delivered, ${calls.length} HubSpot calls, ` +
          `${errors.length} errors (${timeouts.length} client timeouts, ${errors.length - timeouts.length} 5xx) = ` +
          `${((100 * errors.length) / calls.length).toFixed(2)} %, ${got.retriedEvents} inbox events retried, ` +
          `${got.ledger.length} ledger rows, simulated ${((world.h.clock.now() - START) / DAY).toFixed(2)} days, ` +
          `${elapsed.toFixed(1)} s (phases ${seconds.map((s) => s.toFixed(1)).join(' / ')} s)`,
      );

      // The soak is the size it claims to be, and faults of both sorts really happened to it.
      expect(got.delivered).toBeGreaterThanOrEqual(TARGET_EVENTS);
      expect(errors.length).toBeGreaterThan(0);
      expect(timeouts.length).toBeGreaterThan(0);

      // Zero lost events: HubSpot had every delivery acknowledged, and each delivered event is in the inbox once,
      // processed; nothing pending, nothing dead-lettered, nothing left to write back.
      expect(got.refusedDeliveries).toBe(0);
      expect(world.h.sim.control.pendingWebhookRetries(PORTAL)).toBe(0);
      expect(got.inboxByStatus).toEqual({ done: got.delivered });
      expect(await world.h.store.inbox.pendingCount(PORTAL)).toBe(0);
      expect(await world.h.store.outbox.pendingCount(PORTAL)).toBe(0);
      expect(await world.h.store.deadLetters.list(PORTAL)).toEqual([]);

      // I1: every contact went through exactly its expected transitions (as in the fault-free run), none twice.
      for (const kind of KINDS) expect(got.stepsByKind[kind]).toEqual(expectedSteps(kind));
      expect(got.ledger).toHaveLength(STEPS_PER_CYCLE * perKind);
      expect(new Set(got.ledger.map((e) => e.transitionId)).size).toBe(got.ledger.length);

      // I2: every contact ends in HubSpot in the stage its facts call for.
      for (const kind of KINDS) expect(got.stagesByKind[kind]).toEqual(expectedStage(kind));

      // HubSpot's certification budget: error responses ≤ 5 % of all calls.
      expect(errors.length / calls.length).toBeLessThanOrEqual(0.05);
      // Every error was an injected fault: HubSpot's own count of what it served (500s, and the 504s that end the
      // hangs our client had already given up on) matches ours one for one, and it never had to refuse a call for
      // the rate limit — retrying after faults did not push the backend over HubSpot's 110 calls per 10 s.
      await new Promise((resolve) => setTimeout(resolve, HANG_MS + 200));
      const served = world.h.sim.control.stats().portals[String(PORTAL)]!;
      expect(served.calls).toBe(calls.length);
      expect(served.serverErrors).toBe(errors.length);
      expect(served.rateLimited).toBe(0);
    } finally {
      await world.stop();
    }
  }, 600_000);
});
