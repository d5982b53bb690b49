import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { defaultModel } from '../core';
import { HubSpotGateway } from '../adapters/hubspot/hubspot-gateway';
import type { RequestSlots } from '../app/ports/rate-budget';
import { RollingWindowLimiter } from '../adapters/hubspot/rolling-window-limiter';
import { createStore, type StoreOptions } from '../adapters/store';
import { openDatabase } from '../adapters/store/database';
import type { Store } from '../app/ports/store-ports';
import { randomBytes } from 'node:crypto';
import { DEFAULT_COMMIT_EVERY, runBackfill, type BackfillSummary } from '../app/backfill/run-backfill';
import { provisionProperties } from '../app/provision/provision-properties';
import { SEARCH_PAGE_LIMIT } from '../app/backfill/contact-id-scan';
import { WRITE_BATCH } from '../app/backfill/flush-writes';
import { ASSOCIATION_BATCH_LIMIT, BATCH_READ_LIMIT, HISTORY_BATCH_READ_LIMIT } from '../app/pipeline/read-contact-facts';
import type { Clock } from '../app/ports/clock';
import { createLogger } from '../main/logger';
import { heapLimitArgs } from '../cli/heap-limits';
import { RATE_LIMIT_TIERS } from '../simulator';
import { INSTALL, type Seeded } from './backfill-seed';
import { SimulatorChild } from './simulator-child';
import type { Benchmark } from './types';

const PORTAL = 101;
const DAY = 86_400_000;
const BURST = RATE_LIMIT_TIERS.public.perTenSeconds / 10; // requests per second
const SEARCH_PER_SECOND = 5;

/**
 * Discrete-event time for two lanes that wait on different budgets (search pages; reads and writes). Time moves only
 * when nothing is in flight — no HubSpot request and no store operation — and some lane is asleep, and then to the
 * earliest wake-up, so concurrent waits overlap as real ones do and neither lane is held by the other's longer wait.
 * Requests and local work take no simulated time (as in the theoretical minimum); only the rate limits do.
 * Store operations count as in flight because on PostgreSQL they are asynchronous I/O: before they were counted, the
 * clock moved while one lane slept and the other waited on its database commit, so local work leaked into simulated
 * time (on SQLite a query runs synchronously, so the leak did not show). A lane blocked on the other (the read-ahead
 * queue) holds nothing in flight and is rightly not waited for.
 * (SimulatedClock adds every sleep as it is asked for, which is right for one lane and double-counts two.)
 */
class OverlappingClock implements Clock {
  private sleepers: Array<{ end: number; wake: () => void }> = [];
  private inFlight = 0;
  private scheduled = false;
  /** Real time with a store operation in flight, and with a HubSpot request in flight (each a union of intervals). */
  readonly busy = { store: new BusyTime(), hubspot: new BusyTime() };

  /** Told of every move before anyone wakes (the simulator's clock in its own process). */
  onMove: ((now: number) => Promise<void>) | null = null;

  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  async set(to: number): Promise<void> {
    await this.onMove?.(to);
    this.current = to;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.sleepers.push({ end: this.current + Math.max(0, ms), wake });
      this.scheduleAdvance();
    });
  }

  /** The store, counted: each of its asynchronous operations holds the clock until it settles. */
  countingStore(store: Store): Store {
    const counted = <F extends (...args: never[]) => unknown>(fn: F, self: unknown): F =>
      ((...args: Parameters<F>) => {
        const result = fn.apply(self, args);
        if (!(result instanceof Promise)) return result;
        this.inFlight++;
        this.busy.store.begin();
        return result.finally(() => {
          this.busy.store.end();
          this.inFlight--;
          this.scheduleAdvance();
        });
      }) as F;
    const wrapObject = <T extends object>(target: T): T =>
      new Proxy(target, {
        get: (object, property) => {
          const value: unknown = Reflect.get(object, property, object);
          return typeof value === 'function' ? counted(value as (...args: never[]) => unknown, object) : value;
        },
      });
    const wrapped: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(store) as Array<[string, unknown]>) {
      wrapped[key] = typeof value === 'function' ? counted(value as (...args: never[]) => unknown, store) : typeof value === 'object' && value !== null ? wrapObject(value) : value;
    }
    return wrapped as unknown as Store;
  }

  /** The gateway's slots, counted: a request holds the clock from its grant until it settles. */
  counting(slots: RequestSlots): RequestSlots {
    return {
      acquire: async () => {
        await slots.acquire();
        this.inFlight++;
        this.busy.hubspot.begin();
      },
      backOff: (ms) => slots.backOff(ms),
      settled: () => {
        slots.settled();
        this.busy.hubspot.end();
        this.inFlight--;
        this.scheduleAdvance();
      },
    };
  }

  private scheduleAdvance(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After everything runnable now has run (a lane about to send or to sleep gets its turn first).
    setImmediate(() => void this.advance());
  }

  /** Moves to the earliest wake-up: the simulator's clock first (acknowledged), then the sleepers wake. */
  private async advance(): Promise<void> {
    if (this.inFlight > 0 || this.sleepers.length === 0) {
      this.scheduled = false; // the request's settle reschedules
      return;
    }
    const next = Math.max(this.current, Math.min(...this.sleepers.map((s) => s.end)));
    if (next !== this.current) await this.onMove?.(next);
    this.current = next;
    this.scheduled = false;
    {
      const due = this.sleepers.filter((s) => s.end <= this.current);
      this.sleepers = this.sleepers.filter((s) => s.end > this.current);
      due.forEach((s) => s.wake());
      if (this.sleepers.length > 0) this.scheduleAdvance();
    }
  }
}

/** Real time during which at least one operation of a kind was in flight. */
class BusyTime {
  private open = 0;
  private since = 0;
  ms = 0;
  begin(): void {
    if (this.open++ === 0) this.since = performance.now();
  }
  end(): void {
    if (--this.open === 0) this.ms += performance.now() - this.since;
  }
}

/** The fewest calls the strategy needs for this portal, and the time HubSpot's limits allow for them. */
function theoreticalMinimum(seeded: Seeded, summary: BackfillSummary) {
  const search = Math.ceil(seeded.contacts / SEARCH_PAGE_LIMIT);
  const burst =
    Math.ceil(summary.historyReads / HISTORY_BATCH_READ_LIMIT) +
    Math.ceil(seeded.withDeals / ASSOCIATION_BATCH_LIMIT) +
    // Every scanned contact's companies (companyCommits, ≤ 1,000 contacts a call); the seeded portal has no company,
    // so no company→contact reads follow.
    Math.ceil(seeded.contacts / ASSOCIATION_BATCH_LIMIT) +
    Math.ceil(seeded.withDeals / BATCH_READ_LIMIT) +
    Math.ceil(summary.writesQueued / WRITE_BATCH);
  return { search, burst, seconds: Math.max(search / SEARCH_PER_SECOND, burst / BURST) };
}

export const backfillBenchmark: Benchmark = {
  id: 'B4',
  title: 'Backfill of a portal’s contacts against the simulator on a simulated clock',
  // In its own process, under the heap limit `lifecycle backfill` is started with (bin/lifecycle.js), so the peak RSS
  // is the command's.
  execArgv: heapLimitArgs(['backfill'], [], undefined),
  async run({ quick, log }) {
    // Simulated seconds do not depend on the machine; real time does (B4_CONTACTS sets the size, B4_STORE=postgres
    // the store). The simulator runs in its own process, so this process's peak RSS is the backfill's.
    const count = Number(process.env['B4_CONTACTS'] ?? 0) || (quick ? 20_000 : 1_000_000);
    // The commit unit (the CLI's --commit-every): what the backfill holds in memory is about three of them.
    const commitEvery = Number(process.env['B4_COMMIT_EVERY'] ?? 0) || DEFAULT_COMMIT_EVERY;
    const clock = new OverlappingClock(INSTALL - 366 * DAY);
    const child = SimulatorChild.start(log);
    const target = await openStore(process.env['B4_STORE'] === 'postgres' ? 'postgres' : 'sqlite');
    const { store } = target;
    try {
      const seedStarted = performance.now();
      const started0 = await child.request<{ baseUrl: string; accessToken: string; seeded: Seeded }>({
        type: 'start',
        portalId: PORTAL,
        tier: 'public',
        seedContacts: count,
        clockAt: clock.now(),
      });
      const { seeded } = started0;
      log(
        `seeded ${seeded.contacts.toLocaleString('en-US')} contacts (${seeded.active.toLocaleString('en-US')} active, ${seeded.withDeals.toLocaleString('en-US')} with a deal) in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`,
      );
      clock.onMove = (now) => child.request({ type: 'clock', now });
      // Our lc_* properties exist in the portal before the backfill, as `serve` provisions them at start: without
      // them HubSpot (and the simulator) refuses every write-back input, and the writes end in the dead letters.
      // Provisioned a minute before the install, so its calls are out of the rate window when the backfill starts
      // (and after the seeding's own requests, which the simulator's window counted at the seeding's instant).
      const model = defaultModel();
      await clock.set(INSTALL - 60_000);
      const provisioning = new HubSpotGateway({
        portalId: PORTAL,
        accessToken: started0.accessToken,
        basePath: started0.baseUrl,
        limiter: new RollingWindowLimiter({ maxRequests: RATE_LIMIT_TIERS.public.perTenSeconds, windowMs: 10_000, headroom: 1 }, clock),
        clock,
      });
      await provisionProperties(provisioning, model);
      await clock.set(INSTALL);
      await child.request({ type: 'resetStats' });
      await child.request({ type: 'cpuUsage', reset: true });
      const portal = { accessTokens: [started0.accessToken] };
      const failedCalls = new Map<string, number>();
      const sim = { baseUrl: started0.baseUrl };
      // The whole burst budget: the benchmark measures the strategy against HubSpot's limit (the CLI's default
      // leaves 10 % to the live pipeline and other integrations, which costs exactly 1/0.9).
      const hubspot = new HubSpotGateway({
        portalId: PORTAL,
        accessToken: portal.accessTokens[0]!,
        basePath: sim.baseUrl,
        limiter: clock.counting(new RollingWindowLimiter({ maxRequests: RATE_LIMIT_TIERS.public.perTenSeconds, windowMs: 10_000, headroom: 1 }, clock)),
        searchLimiter: clock.counting(new RollingWindowLimiter({ maxRequests: SEARCH_PER_SECOND, windowMs: 1_000, headroom: 1 }, clock)),
        clock,
        // Calls that failed on our side (a timeout never reaches the simulator's count: it counts finished responses).
        onCall: (call) => {
          if (!call.ok) failedCalls.set(`${call.operation} ${call.kind ?? call.status ?? '?'}`, (failedCalls.get(`${call.operation} ${call.kind ?? call.status ?? '?'}`) ?? 0) + 1);
        },
      });
      const started = clock.now();
      const wallStarted = performance.now();
      let nextLog = 0.1;
      // The memory curve: this process's RSS and V8 heap every 10,000 contacts, to show it is flat in the portal's size.
      const memory: MemorySample[] = [];
      let nextSample = MEMORY_SAMPLE_EVERY;
      const cpuStarted = process.cpuUsage();
      const summary = await runBackfill({ store: clock.countingStore(store), hubspot, model, clock, workerId: 'bench-b4', logger: createLogger('silent') }, PORTAL, {
        commitEvery,
        onProgress: ({ scanned, total }) => {
          if (scanned >= nextSample) {
            nextSample = (Math.floor(scanned / MEMORY_SAMPLE_EVERY) + 1) * MEMORY_SAMPLE_EVERY;
            const sample = memorySample(scanned);
            memory.push(sample);
            log(`memory at ${scanned.toLocaleString('en-US')} contacts: ${describeSample(sample)}`);
          }
          if (scanned / total < nextLog) return;
          nextLog += 0.1;
          log(
            `${scanned.toLocaleString('en-US')}/${total.toLocaleString('en-US')} contacts, ${((clock.now() - started) / 1000).toFixed(0)} simulated s, ${((performance.now() - wallStarted) / 1000).toFixed(0)} s real`,
          );
        },
      });
      const cpu = process.cpuUsage(cpuStarted);
      const wallSeconds = (performance.now() - wallStarted) / 1000;
      const simulatorCpu = await child.request<{ user: number; system: number }>({ type: 'cpuUsage' });
      const simulatedSeconds = (clock.now() - started) / 1000;
      const stats = (await child.request<{ portals: Record<string, { calls: number; rateLimited: number; byEndpoint: Record<string, number> }> }>({ type: 'stats' })).portals[
        String(PORTAL)
      ]!;
      const peakRss = process.resourceUsage().maxRSS * 1024;
      const simulatorPeakRss = await child.request<number>({ type: 'peakRss' });
      const rssMet = peakRss <= 512 * 2 ** 20;
      const minimum = theoreticalMinimum(seeded, summary);
      const ratio = simulatedSeconds / minimum.seconds;
      const rateLimitedShare = stats.rateLimited / Math.max(1, stats.calls);
      const endpoints = Object.entries(stats.byEndpoint)
        .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
        .join(', ');
      const ledgerRows = await store.ledger.count(PORTAL);
      const deadWrites = (await store.deadLetters.list(PORTAL, { limit: 1_000 })).filter((d) => d.source === 'outbox').length;
      return {
        // PostgreSQL's figures get their own section, so a run of one store does not replace the other's.
        id: target.name === 'PostgreSQL' ? 'B4-PG' : 'B4',
        title: target.name === 'PostgreSQL' ? `${this.title}, PostgreSQL` : this.title,
        lines: [
          `${seeded.contacts.toLocaleString('en-US')} contacts (${seeded.active.toLocaleString('en-US')} active, ${seeded.withDeals.toLocaleString('en-US')} with a deal), public app (110 req / 10 s burst, search 5 req/s), ${target.name} store, ${quick ? 'quick run' : 'full run'}`,
          `strategy: search pages of 200 by hs_object_id (search budget, one commit unit of pages ahead) in commit units of ${commitEvery.toLocaleString('en-US')} contacts in parallel with history reads ≤ 50, associations ≤ 1,000, deal reads ≤ 100 and batch updates of 100 only for records whose lc_* differ (burst budget)`,
          `clock: discrete-event simulated time — it moves only when no HubSpot request and no store operation is in flight and a lane waits on its budget, so requests and local work (also PostgreSQL's asynchronous queries) cost no simulated time, as in the theoretical minimum`,
          `simulated time ${simulatedSeconds.toFixed(0)} s (${(simulatedSeconds / 60).toFixed(1)} min); real time ${((performance.now() - wallStarted) / 1000).toFixed(0)} s`,
          `theoretical minimum ${minimum.seconds.toFixed(0)} s = max(${minimum.search.toLocaleString('en-US')} search calls ÷ 5/s, ${minimum.burst.toLocaleString('en-US')} burst calls ÷ 11/s)`,
          `calls ${stats.calls.toLocaleString('en-US')}: ${endpoints}`,
          `429 responses ${stats.rateLimited} (${(rateLimitedShare * 100).toFixed(2)} % of calls); calls that failed on the backfill's side and were retried: ${
            [...failedCalls].map(([what, n]) => `${what} ${n}`).join(', ') || 'none'
          }`,
          `peak RSS of the backfilling process ${mb(peakRss)} (target ≤ 512 MB${rssMet ? ', met' : ', MISSED'}; node options ${process.execArgv.join(' ') || 'none'}, V8 heap limit ${mb(getHeapStatistics().heap_size_limit)}); the simulator's own process peaked at ${mb(simulatorPeakRss)}`,
          `CPU time of the backfilling process ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s (${((cpu.user + cpu.system) / Math.max(1, seeded.contacts)).toFixed(0)} µs per contact); load average at the end ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' / ')} (1 / 5 / 15 min)`,
          `where the real time went (${wallSeconds.toFixed(0)} s): a store operation in flight ${(clock.busy.store.ms / 1000).toFixed(0)} s, a HubSpot request in flight ${(clock.busy.hubspot.ms / 1000).toFixed(0)} s (they overlap); CPU of the backfilling process ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s, of the simulator's process since the backfill began ${((simulatorCpu.user + simulatorCpu.system) / 1e6).toFixed(0)} s`,
          `memory of the backfilling process (RSS / V8 heap used / V8 heap committed / external incl. array buffers): ${memoryCurve(memory)}`,
          `ledger rows ${ledgerRows.toLocaleString('en-US')}; history reads for ${summary.historyReads.toLocaleString('en-US')} contacts; ${summary.writesQueued.toLocaleString('en-US')} records written back in ${summary.writeCalls.toLocaleString('en-US')} calls; writes HubSpot refused (dead letters): ${deadWrites.toLocaleString('en-US')}${deadWrites >= 1_000 ? ' or more' : ''}`,
        ],
        ratio: { value: ratio, against: 'the theoretical minimum (≤ 1.10× target)' },
        target: {
          description: '≤ 1.10× the theoretical minimum, 429s ≤ 1 % of calls, peak RSS ≤ 512 MB, no write refused',
          met: ratio <= 1.1 && rateLimitedShare <= 0.01 && rssMet && deadWrites === 0,
        },
      };
    } finally {
      await child.stop();
      await target.dispose();
    }
  },
};

const MEMORY_SAMPLE_EVERY = 10_000;

interface MemorySample {
  contacts: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

function memorySample(contacts: number): MemorySample {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { contacts, rss, heapUsed, heapTotal, external };
}

const describeSample = (s: MemorySample) => `${mb(s.rss)} / ${mb(s.heapUsed)} / ${mb(s.heapTotal)} / ${mb(s.external)}`;

/** At most about ten points of the curve: the first sample, then evenly spaced ones, always the last. */
function memoryCurve(samples: MemorySample[]): string {
  if (samples.length === 0) return 'no sample (fewer than 10,000 contacts)';
  const step = Math.max(1, Math.ceil(samples.length / 10));
  const shown = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
  return shown.map((s) => `${s.contacts.toLocaleString('en-US')}: ${describeSample(s)}`).join('; ');
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;

/** The store the backfill writes to: a SQLite file, or a fresh schema on the PostgreSQL server (dropped after). */
async function openStore(kind: 'sqlite' | 'postgres'): Promise<{ name: string; store: Store; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-b4-'));
    const store = await createStore(`sqlite:${path.join(folder, 'b4.db')}`);
    return {
      name: 'SQLite',
      store,
      dispose: async () => {
        await store.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  const url = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const options: StoreOptions = { pgSchema: `lc_bench_b4_${randomBytes(4).toString('hex')}` };
  const store = await createStore(url, options);
  return {
    name: 'PostgreSQL',
    store,
    async dispose() {
      await store.close();
      const { db } = openDatabase(url, options);
      await db.schema.dropSchema(options.pgSchema!).ifExists().cascade().execute();
      await db.destroy();
    },
  };
}
