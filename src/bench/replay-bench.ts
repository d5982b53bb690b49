import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { HubSpotGateway } from '../adapters/hubspot/hubspot-gateway';
import { RollingWindowLimiter } from '../adapters/hubspot/rolling-window-limiter';
import { createStore } from '../adapters/store';
import { openDatabase } from '../adapters/store/database';
import { applyAggregateDelta } from '../adapters/store/ledger-aggregate-repository';
import { appendLedgerEntries } from '../adapters/store/ledger-repository';
import { migrateToLatest } from '../adapters/store/migrator';
import { buildFacts } from '../app/facts/build-facts';
import { recordFromStore, storedContactProperties } from '../app/facts/stored-properties';
import { BATCH_READ_LIMIT } from '../app/pipeline/read-contact-facts';
import { systemClock } from '../app/ports/clock';
import type { StoredPropertyValue } from '../app/ports/store-ports';
import { provisionProperties } from '../app/provision/provision-properties';
import { runReplay, type ReplayResult } from '../app/replay/run-replay';
import { compileModelOrThrow, DAY_MS, defaultModel, defaultModelDocument, evaluate, initialState, LedgerAggregates, type CompiledModel, type FactEvent, type LedgerEntry } from '../core';
import { RATE_LIMIT_TIERS, startSimulator } from '../simulator';
import { seededRandom } from '../simulator/faults/seeded-random';
import type { ReplayProcessAnswer } from './replay-process';
import type { Benchmark } from './types';

/** The size. */
const DEFAULT_CONTACTS = 100_000;
const QUICK_CONTACTS = 10_000;
export const B8_PORTAL = 8;
const PORTAL = B8_PORTAL;
export const B8_END = Date.UTC(2026, 10, 1);
const END = B8_END;
const SEED_STEP = 2_000;
const ROWS_PER_INSERT = 500;

/**
 * The what-if of B8: the recycle pauses move (Recycle A 30 → 60 days, Recycle B 90 → 45) and MQL criteria change
 * (a score of 60 instead of 100; a demo request still counts, a catalog or document request no longer does).
 */
export function b8WhatIfModel(): CompiledModel {
  type Doc = { name: string; stages: Array<{ id: string; transitions?: Array<{ to: string; when: unknown; reason: string }> }>; recycle: Array<{ id: string; pauseDays: number }> };
  const document = structuredClone(defaultModelDocument) as Doc;
  document.name = 'B8 what-if: recycle pauses and MQL criteria moved';
  for (const rule of document.recycle) rule.pauseDays = rule.id === 'recycle_a' ? 60 : 45;
  const nurturing = document.stages.find((s) => s.id === 'nurturing')!;
  nurturing.transitions = [
    {
      to: 'mql',
      when: { any: [{ event: 'form_submitted', where: { formKind: ['demo_request', 'contact_us'] } }, { score: { property: 'hubspotscore', gte: 60 } }] },
      reason: 'Asked for a demo or made a direct inquiry, or reached a score of 60',
    },
  ];
  return compileModelOrThrow(document);
}

interface SeededContact {
  id: string;
  createdAt: number;
  events: Array<FactEvent & { key: string }>;
  /** The values the pipeline stores (record_properties) and HubSpot shows. */
  properties: StoredPropertyValue[];
}

/**
 * One contact's recorded life over two years: created, then (most of them) clicks and visits, forms (demo requests,
 * catalog requests, newsletters), meetings, deals won and lost, visits after a loss (re-engagement); a lead score
 * dated when it was reached. Every property the model reads is stored, as the pipeline stores it.
 */
function seededContact(id: string, wanted: readonly string[], random: () => number): SeededContact {
  const createdAt = END - Math.floor((0.05 + random() * 0.95) * 730 * DAY_MS);
  const events: Array<FactEvent & { key: string }> = [];
  let at = createdAt;
  const add = (type: FactEvent['type'], attrs?: FactEvent['attrs']) => events.push({ key: `${id}:${events.length}`, type, at, ...(attrs ? { attrs } : {}) });
  const step = (maxDays: number) => (at += Math.floor(random() * maxDays * DAY_MS) + 60_000);
  if (random() < 0.85) {
    step(20);
    add(random() < 0.5 ? 'email_clicked' : 'page_viewed');
    for (let visits = Math.floor(random() * 4); visits > 0; visits--) {
      step(10);
      add('page_viewed');
    }
    const form = random();
    if (form < 0.6) {
      step(30);
      add('form_submitted', { formKind: form < 0.25 ? 'demo_request' : form < 0.45 ? 'catalog_request' : 'newsletter', formName: 'Form' });
    }
    if (random() < 0.45) {
      step(20);
      add('meeting_booked');
      if (random() < 0.6) {
        step(40);
        const deal = { dealId: `d${id}`, dealType: 'newbusiness' };
        add('deal_created', deal);
        step(60);
        if (random() < 0.45) add('deal_won', deal);
        else {
          add('deal_lost', { ...deal, reason: 'no_budget' });
          for (let visits = 3; visits > 0 && random() < 0.5; visits--) {
            step(2);
            add('page_viewed');
          }
        }
      }
    }
  }
  const score = Math.floor(random() * 150);
  const scoredAt = createdAt + Math.floor(random() * Math.max(1, END - createdAt));
  const values: Record<string, { value: string | null; setAt: number | null }> = {
    email: { value: `${id}@example.test`, setAt: createdAt },
    createdate: { value: new Date(createdAt).toISOString(), setAt: createdAt },
    hubspotscore: { value: String(score), setAt: scoredAt },
    jobtitle: { value: random() < 0.5 ? 'Engineer' : 'Head of Marketing', setAt: null },
  };
  const properties = wanted.map((property) => ({ property, value: values[property]?.value ?? null, setAt: values[property]?.setAt ?? null }));
  return { id, createdAt, events: events.filter((e) => e.at < END), properties };
}

/** The ledger the pipeline would have written for this contact under `model` (evaluated from scratch at END). */
function currentLedger(contact: SeededContact, model: CompiledModel): LedgerEntry[] {
  const facts = buildFacts({ record: recordFromStore(contact.id, contact.properties), storedEvents: contact.events, freshEvents: [], changes: [], observedAt: END });
  return evaluate(initialState('contact', contact.id), facts, model, END).effects.flatMap((e) => (e.type === 'append_ledger' ? [e.entry] : []));
}

/**
 * Bulk seed of a SQLite store with what the pipeline keeps per contact: ledger rows and their aggregates (through the
 * unit of work's own writers, as B7's seed does), fact events and stored properties (multi-row inserts of the rows the
 * unit of work writes). `ids` names the contacts; `storeProperties: false` leaves record_properties empty (a store
 * from before migration 0014), so the replay reads every property from HubSpot.
 */
export async function seedStore(url: string, model: CompiledModel, ids: readonly string[], storeProperties: boolean, log: (line: string) => void): Promise<{ rows: number; events: number }> {
  const open = openDatabase(url, {});
  const random = seededRandom(8);
  const wanted = storedContactProperties(model);
  let rows = 0;
  let events = 0;
  try {
    await migrateToLatest(open);
    await sql`pragma synchronous = OFF`.execute(open.db);
    for (let start = 0; start < ids.length; start += SEED_STEP) {
      const contacts = ids.slice(start, start + SEED_STEP).map((id) => seededContact(id, wanted, random));
      const aggregates = new LedgerAggregates();
      const ledger: LedgerEntry[] = [];
      for (const contact of contacts) {
        const history = currentLedger(contact, model);
        aggregates.addRecord(history);
        ledger.push(...history);
      }
      const factRows = contacts.flatMap((c) =>
        c.events.map((e) => ({
          portal_id: PORTAL,
          object_type: 'contact',
          object_id: c.id,
          event_key: e.key,
          type: e.type,
          at: e.at,
          source_id: null,
          attrs: e.attrs ? JSON.stringify(e.attrs) : null,
        })),
      );
      const propertyRows = storeProperties
        ? contacts.flatMap((c) => c.properties.map((p) => ({ portal_id: PORTAL, object_type: 'contact', object_id: c.id, property: p.property, value: p.value, set_at: p.setAt })))
        : [];
      await open.db.transaction().execute(async (trx) => {
        for (let at = 0; at < ledger.length; at += ROWS_PER_INSERT) await appendLedgerEntries(trx, PORTAL, ledger.slice(at, at + ROWS_PER_INSERT), END);
        for (let at = 0; at < factRows.length; at += ROWS_PER_INSERT)
          await trx
            .insertInto('fact_events')
            .values(factRows.slice(at, at + ROWS_PER_INSERT))
            .execute();
        for (let at = 0; at < propertyRows.length; at += ROWS_PER_INSERT)
          await trx
            .insertInto('record_properties')
            .values(propertyRows.slice(at, at + ROWS_PER_INSERT))
            .execute();
        await applyAggregateDelta(trx, PORTAL, aggregates.withoutZeros());
      });
      rows += ledger.length;
      events += factRows.length;
      if ((start / SEED_STEP) % 10 === 9) log(`B8: seeded ${(start + SEED_STEP).toLocaleString('en-US')} contacts`);
    }
  } finally {
    await open.db.destroy();
  }
  return { rows, events };
}

interface Measured {
  result: ReplayResult;
  wallMs: number;
  cpuMs: number;
  /** Highest RSS of this process, sampled every 20 ms while the replay ran. */
  peakRssMb: number;
  load: [number, number];
}

async function measure(replay: () => Promise<ReplayResult>): Promise<Measured> {
  global.gc?.();
  const load0 = loadavg()[0] ?? 0;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const result = await replay();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peak / 1024 / 1024, load: [load0, loadavg()[0] ?? 0] };
  } finally {
    clearInterval(sampler);
  }
}

const period = { start: END - 365 * DAY_MS, end: END };

/** Runs the compiled replay-process.js next to this file (the benchmarks run from dist/): its peak RSS is the replay's. */
function replayInChild(url: string, threads: number | null): Promise<ReplayProcessAnswer> {
  const child = fork(join(__dirname, 'replay-process.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let answer: ReplayProcessAnswer | null = null;
    child.once('message', (message: ReplayProcessAnswer) => (answer = message));
    child.once('exit', (code) => (answer ? resolve(answer) : reject(new Error(`B8: the replay process exited (${code}) without an answer`))));
    child.send({ url, threads });
  });
}

const fmt = (n: number) => n.toLocaleString('en-US');

export const replayBenchmark: Benchmark = {
  id: 'B8',
  title: 'What-if replay from the store (vs. reading every contact from HubSpot)',
  async run({ quick, log }) {
    const contacts = quick ? QUICK_CONTACTS : Number(process.env['B8_CONTACTS'] ?? DEFAULT_CONTACTS);
    const model = defaultModel();
    const whatIf = b8WhatIfModel();
    const folder = mkdtempSync(join(tmpdir(), 'lc-b8-'));
    try {
      // The replay from the store, at the size.
      const url = `sqlite:${join(folder, 'b8.db')}`;
      const seedStarted = performance.now();
      const seeded = await seedStore(
        url,
        model,
        Array.from({ length: contacts }, (_, i) => String(1_000_000 + i)),
        true,
        log,
      );
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      log(`B8: seeded ${fmt(contacts)} contacts (${fmt(seeded.rows)} ledger rows, ${fmt(seeded.events)} fact events) in ${seedSeconds.toFixed(0)} s; replaying`);
      // As `lifecycle replay` runs it by default and as the settings Preview does (one thread), then with
      // `--threads auto` (worker threads, one per core).
      const fromStore = await replayInChild(url, 1);
      const threaded = await replayInChild(url, null);
      for (const replay of [fromStore, threaded]) {
        if (replay.unreadable || replay.hubspotReads !== 0 || replay.contacts !== contacts) {
          throw new Error(`B8: the replay did not evaluate every contact from the store: ${JSON.stringify(replay)}`);
        }
      }

      // Baseline, same run and size: the replay reading every contact's properties from HubSpot (a store without
      // record_properties, which is how every replay worked before), against the simulator in this process, at a public
      // app's rate limit, which our client keeps to (1 batch read per 100 contacts).
      log(`B8: baseline, ${fmt(contacts)} contacts read from the simulator at a public app's rate limit`);
      const sim = await startSimulator({ portals: [{ portalId: PORTAL, tier: 'public' }] });
      const baseUrl = `sqlite:${join(folder, 'b8-baseline.db')}`;
      let baseline: Measured;
      let simulatorCalls = 0;
      try {
        const random = seededRandom(80);
        const wanted = storedContactProperties(model);
        const plans = Array.from({ length: contacts }, (_, i) => seededContact(`b${i}`, wanted, random));
        const ids = sim.control.seed(
          PORTAL,
          'contacts',
          plans.map((p) => Object.fromEntries(p.properties.flatMap((v) => (v.value === null || v.property === 'createdate' ? [] : [[v.property, v.value]])))),
        );
        await seedStore(baseUrl, model, ids, false, log);
        const limiter = new RollingWindowLimiter({ maxRequests: RATE_LIMIT_TIERS.public.perTenSeconds, windowMs: 10_000, headroom: 1 }, systemClock);
        const hubspot = new HubSpotGateway({ portalId: PORTAL, accessToken: sim.portals[0]!.accessTokens[0]!, basePath: sim.baseUrl, limiter, clock: systemClock });
        await provisionProperties(hubspot, model);
        sim.control.resetStats();
        const baseStore = await createStore(baseUrl);
        try {
          baseline = await measure(() => runReplay({ store: baseStore, hubspot }, PORTAL, { current: model, whatIf }, period));
        } finally {
          await baseStore.close();
        }
        simulatorCalls = Object.values(sim.control.stats().portals[String(PORTAL)]?.byEndpoint ?? {}).reduce((sum, n) => sum + n, 0);
      } finally {
        await sim.stop();
      }

      const perContact = (m: { wallMs: number; cpuMs: number }, n: number) => ({ wall: m.wallMs / n, cpu: m.cpuMs / n });
      const store1 = perContact(fromStore, contacts);
      const base1 = perContact(baseline, contacts);
      const batchReads = Math.ceil(contacts / BATCH_READ_LIMIT);
      // A rolling 10-second window: the first window's worth goes at once, each further one waits 10 s.
      const rateFloorSeconds = Math.max(0, Math.ceil(batchReads / RATE_LIMIT_TIERS.public.perTenSeconds) - 1) * 10;
      const goalMet = fromStore.wallMs < 10_000 && fromStore.peakRssMb < 512;
      const ratio = baseline.wallMs / fromStore.wallMs;
      return {
        id: 'B8',
        title: this.title,
        lines: [
          `${fmt(contacts)} contacts with two years of facts (${fmt(seeded.events)} fact events, ${fmt(seeded.rows)} ledger rows under the default model) and every property the models read stored (record_properties), SQLite; what-if: the default model with Recycle A's pause 30 → 60 days, Recycle B's 90 → 45, and MQL on a demo request, a direct inquiry or a score of 60 (was: also catalog and document requests, score 100); period: the last 365 days; ${quick ? 'quick run' : 'full run'}.`,
          '',
          '| replay | contacts | wall s | CPU ms per contact | peak RSS | HubSpot calls | load average (before → after) |',
          '|---|---|---|---|---|---|---|',
          `| from the store as \`lifecycle replay\` runs it by default and as the settings Preview does (one thread; a process of its own) | ${fmt(contacts)} | ${(fromStore.wallMs / 1000).toFixed(2)} | ${store1.cpu.toFixed(3)} | ${fromStore.peakRssMb.toFixed(0)} MB | ${fromStore.hubspotReads} | ${fromStore.load[0].toFixed(1)} → ${fromStore.load[1].toFixed(1)} |`,
          `| from the store, \`lifecycle replay --threads auto\` (worker threads, one per core, from 50,000 contacts; CPU of every thread) | ${fmt(contacts)} | ${(threaded.wallMs / 1000).toFixed(2)} | ${(threaded.cpuMs / contacts).toFixed(3)} | ${threaded.peakRssMb.toFixed(0)} MB | ${threaded.hubspotReads} | ${threaded.load[0].toFixed(1)} → ${threaded.load[1].toFixed(1)} |`,
          `| baseline: every property read from HubSpot (simulator, in this process, at a public app's 110 requests per 10 s) | ${fmt(contacts)} | ${(baseline.wallMs / 1000).toFixed(2)} | ${base1.cpu.toFixed(3)} | ${baseline.peakRssMb.toFixed(0)} MB | ${simulatorCalls} (${baseline.result.hubspotReads} batch reads) | ${baseline.load[0].toFixed(1)} → ${baseline.load[1].toFixed(1)} |`,
          '',
          `The baseline is bound by HubSpot's rate limit: ${fmt(batchReads)} batch reads at a public app's 110 requests per 10 s take at least ${rateFloorSeconds.toFixed(0)} s, and against real HubSpot they spend the portal's API budget that the live pipeline shares. Its CPU includes the simulator's, which runs in this process.`,
          `Goal: < 10 s and peak RSS < 512 MB for ${fmt(contacts)} contacts, zero HubSpot calls: ${goalMet && fromStore.hubspotReads === 0 ? 'met' : 'MISSED'} (this run). The replay from the store runs in a process of its own (\`src/bench/replay-process.ts\`): its peak RSS is the replay's alone. The baseline's is this process's RSS sampled every 20 ms while it ran (the seeds ran before it, in this process).`,
          `Seed (\`src/bench/replay-bench.ts\`): ledger rows and aggregates through the unit of work's writers, fact events and stored properties as multi-row inserts, in ${seedSeconds.toFixed(0)} s. Run: \`npm run bench -- --only B8\` (\`B8_CONTACTS\` sets the size; \`--quick\`: ${fmt(QUICK_CONTACTS)} contacts).`,
          '',
        ],
        ratio: { value: ratio, against: `baseline (every property read from HubSpot at the rate limit) ÷ replay from the store, ${fmt(contacts)} contacts each, wall time, same run` },
        target: { description: `< 10 s and peak RSS < 512 MB for ${fmt(contacts)} contacts, zero HubSpot calls`, met: goalMet && fromStore.hubspotReads === 0 },
      };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
