import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { InboxPort, Store } from '../../src/app/ports/store-ports';
import { startBackend, type Backend } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { deliver, routeWebhooksTo, startWebhookRecorder, type HubSpotEvent } from './support';

/**
 * R4 (docs/reliability.md §7): HubSpot gives a webhook delivery 5 s to be answered, and counts anything slower as a
 * failure to retry (§1). We acknowledge only after the inbox commit, so the commit is on the critical path:
 *  - a commit that takes 4 s must still let the 200 out before HubSpot's 5 s run out, with every event stored;
 *  - a commit that fails must answer 5xx (HubSpot retries it) and leave no part of the delivery behind, so the
 *    retry is stored whole and exactly once.
 *
 * The backend's route, ingest use case and SQLite repository are the real ones. The storage outage is the test
 * double: a slow commit is a 4 s (real time) pause in front of the real `inbox.insertMany`, or — with no double at
 * all — another process holding SQLite's write lock for 4 s; a failing commit is the database itself refusing a row
 * half-way through the real multi-row INSERT (a SQLite trigger that raises once 60 of the delivery's 100 rows are
 * already written), so what is proved is the real statement's atomicity.
 */

const HUBSPOT_TIMEOUT_MS = 5_000;
const COMMIT_DELAY_MS = 4_000;
/** The failing database refuses the row that would follow this many rows already written. */
const ROWS_WRITTEN_BEFORE_FAILURE = 60;

/** The storage under the webhook route: how it behaves now, and what became of the commits it was given. */
interface Storage {
  condition: 'healthy' | 'slow';
  /** Calls that reached the real insertMany (the pause happens before it). */
  commits: number;
  /** Why the real insertMany failed, each time it did. */
  failures: string[];
}

interface World {
  h: PipelineHarness;
  /** The backend the deliveries go to: the real one, over the store wrapped by `storage`. */
  backend: Backend;
  /** The store's SQLite file. */
  file: string;
  /** A second connection to the store's SQLite file: the "DBA" who breaks the database and counts rows. */
  db: BetterSqlite3.Database;
  /** 100 real webhook events, as the simulator emitted them for 50 new contacts. */
  batch: HubSpotEvent[];
  storage: Storage;
  stop(): Promise<void>;
}

async function buildWorld(): Promise<World> {
  const folder = mkdtempSync(path.join(tmpdir(), 'lc-r04-'));
  const file = path.join(folder, 'lifecycle.db');
  const h = await startPipelineHarness({ databaseUrl: `sqlite:${file}` });
  // The simulator's own deliveries go to a recorder: only the test's deliveries reach the inbox.
  const recorder = await startWebhookRecorder();
  routeWebhooksTo(h, PORTAL, recorder.url);
  h.sim.control.seed(
    PORTAL,
    'contacts',
    Array.from({ length: 50 }, (_, i) => ({ email: `r4-${i}@acme.test` })),
  );
  await h.sim.idle();
  const batch = recorder.events().slice(0, 100);
  await recorder.stop();

  const storage: Storage = { condition: 'healthy', commits: 0, failures: [] };
  const inbox = new Proxy(h.store.inbox, {
    get(target, property, receiver) {
      if (property !== 'insertMany') return Reflect.get(target, property, receiver) as unknown;
      const insertMany: InboxPort['insertMany'] = async (...args) => {
        if (storage.condition === 'slow') await new Promise((resolve) => setTimeout(resolve, COMMIT_DELAY_MS));
        storage.commits++;
        try {
          return await target.insertMany(...args);
        } catch (error) {
          storage.failures.push((error as Error).message);
          throw error;
        }
      };
      return insertMany;
    },
  });
  const store: Store = { ...h.store, inbox };
  const portals = h.sim.portals.map((p) => ({ portalId: p.portalId, accessToken: p.accessTokens[0]!, clientSecrets: [p.clientSecret], rateLimit: 110 }));
  const backend = await startBackend({ store, model: h.modelFor, hubspotBaseUrl: h.sim.baseUrl, portals, clock: h.clock, logger: createLogger('silent'), port: 0, runWorker: false });
  const db = new BetterSqlite3(file);
  return {
    h,
    backend,
    file,
    db,
    batch,
    storage,
    async stop() {
      db.close();
      await backend.stop();
      await h.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Posts the delivery, signed as HubSpot signs it, to the world's backend; returns the answer and its wall time. */
async function post(world: World, events: HubSpotEvent[]): Promise<{ status: number; json: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const answer = await deliver({ ...world.h, backend: world.backend }, events);
  return { ...answer, ms: performance.now() - started };
}

/** Inbox rows holding events of the batch (any status), counted by the database itself. */
function rowsOf(world: World, events: HubSpotEvent[]): number {
  const ids = events.map((e) => String(e.eventId));
  const row = world.db.prepare(`SELECT count(*) AS n FROM inbox_events WHERE portal_id = ? AND event_id IN (${ids.map(() => '?').join(',')})`).get(PORTAL, ...ids) as { n: number };
  return row.n;
}

/** The database refuses any inbox row once ROWS_WRITTEN_BEFORE_FAILURE rows are in (its disk "fills up"). */
function breakDatabase(world: World): void {
  world.db.exec(`
    CREATE TRIGGER r4_commit_fails BEFORE INSERT ON inbox_events
    WHEN (SELECT count(*) FROM inbox_events) >= ${ROWS_WRITTEN_BEFORE_FAILURE}
    BEGIN SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END;
  `);
}

function repairDatabase(world: World): void {
  world.db.exec('DROP TRIGGER r4_commit_fails');
}

/**
 * Another process (a second backend instance, a backup, a migration) takes SQLite's write lock and keeps it for
 * `ms`: our commit has to wait for it. Resolves once the lock is held; `released` resolves when the process is gone.
 */
async function holdWriteLockElsewhere(file: string, ms: number): Promise<{ lockedAt: number; released: Promise<void> }> {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], { cwd: path.resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
  });
  return { lockedAt: performance.now(), released };
}

describe("R4: the webhook acknowledgement waits for a slow inbox commit but not past HubSpot's 5 s, and a failed commit leaves nothing behind", () => {
  let world: World;
  beforeEach(async () => {
    world = await buildWorld();
    // The recorded delivery is HubSpot's own: 100 events of 50 contacts (creation + email), no duplicates.
    expect(world.batch).toHaveLength(100);
    expect(new Set(world.batch.map((e) => e.eventId)).size).toBe(100);
    expect(rowsOf(world, world.batch)).toBe(0);
    // Nothing else is in the inbox either, so the failing database's row count is the delivery's own.
    expect(await world.h.store.inbox.pendingCount()).toBe(0);
  });
  afterEach(() => world.stop());

  it('a 100-event delivery whose commit takes 4 s is answered 200 within 5 s, after all 100 events are stored', async () => {
    world.storage.condition = 'slow';
    const answer = await post(world, world.batch);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ received: 100, stored: 100, duplicates: 0, ignored: 0, quarantined: 0 });
    // The 200 waited for the commit (it is not sent before the events are durable) ...
    expect(answer.ms).toBeGreaterThanOrEqual(COMMIT_DELAY_MS);
    // ... and the rest of the request (verify, parse, dedup keys, the real INSERT) fits in HubSpot's last second.
    expect(answer.ms).toBeLessThan(HUBSPOT_TIMEOUT_MS);
    expect(world.storage.commits).toBe(1);
    expect(world.storage.failures).toEqual([]);
    expect(rowsOf(world, world.batch)).toBe(100);
    expect(await world.h.store.inbox.pendingCount(PORTAL)).toBe(100);
  }, 15_000);

  it("a 100-event delivery whose commit waits 4 s for another process's write lock is answered 200 within 5 s, all 100 stored", async () => {
    // No test double at all: the real SQLite busy wait (busy_timeout 5 s) is what delays the commit.
    const lock = await holdWriteLockElsewhere(world.file, COMMIT_DELAY_MS);
    const answer = await post(world, world.batch);
    const answeredAfterLock = performance.now() - lock.lockedAt;
    await lock.released;

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ received: 100, stored: 100, duplicates: 0, ignored: 0, quarantined: 0 });
    // The answer came only once the other process let go (the commit really waited), and inside HubSpot's 5 s.
    expect(answeredAfterLock).toBeGreaterThanOrEqual(COMMIT_DELAY_MS);
    expect(answer.ms).toBeLessThan(HUBSPOT_TIMEOUT_MS);
    expect(rowsOf(world, world.batch)).toBe(100);
  }, 15_000);

  it('when the database fails the commit after 60 of the 100 rows, the answer is 503 and none of the 100 is in the inbox; the retry is stored once', async () => {
    breakDatabase(world);
    const refused = await post(world, world.batch);

    // HubSpot retries a 5xx (§1): the failure must not be acknowledged as a success.
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: 'storage_unavailable' });
    expect(world.storage.commits).toBe(1);
    expect(world.storage.failures).toEqual(['database or disk is full (simulated)']);
    // The trigger fired only once 60 rows of the delivery were written inside the INSERT; all of them were undone.
    expect(rowsOf(world, world.batch)).toBe(0);
    expect(await world.h.store.inbox.pendingCount()).toBe(0);

    // The database recovers; HubSpot's retry carries the same events with attemptNumber 1.
    repairDatabase(world);
    const retry = world.batch.map((e) => ({ ...e, attemptNumber: 1 }));
    const accepted = await post(world, retry);
    expect(accepted.status).toBe(200);
    expect(accepted.json).toEqual({ received: 100, stored: 100, duplicates: 0, ignored: 0, quarantined: 0 });
    expect(rowsOf(world, world.batch)).toBe(100);

    // A further retry (HubSpot did not see our 200 in time, say) adds nothing: each event is in the inbox once.
    const again = await post(
      world,
      world.batch.map((e) => ({ ...e, attemptNumber: 2 })),
    );
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ received: 100, stored: 0, duplicates: 100, ignored: 0, quarantined: 0 });
    expect(rowsOf(world, world.batch)).toBe(100);
    expect(await world.h.store.inbox.pendingCount(PORTAL)).toBe(100);
  }, 15_000);

  it("a commit that is slow and then fails is answered 503 before HubSpot's 5 s, so HubSpot retries it as an error rather than a timeout", async () => {
    world.storage.condition = 'slow';
    breakDatabase(world);
    const refused = await post(world, world.batch);

    expect(refused.status).toBe(503);
    expect(refused.ms).toBeGreaterThanOrEqual(COMMIT_DELAY_MS);
    expect(refused.ms).toBeLessThan(HUBSPOT_TIMEOUT_MS);
    expect(world.storage.failures).toEqual(['database or disk is full (simulated)']);
    expect(rowsOf(world, world.batch)).toBe(0);
  }, 15_000);
});
