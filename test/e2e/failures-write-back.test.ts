import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../../src/adapters/store';
import type { Store } from '../../src/app/ports/store-ports';
import { startBackend, type Backend } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import { subscribeSimulator } from '../../src/main/runtime';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { CallLog, runDueWork, runUntilQuiet, stagesInHubSpot } from './failures-support';

const BATCH_UPDATE_PATH = 'batch/update$';

describe('HubSpot failing during write-back (R8, R9, R10)', () => {
  let h: PipelineHarness;
  let log: CallLog;
  beforeEach(async () => {
    log = new CallLog();
    h = await startPipelineHarness({ onHubSpotCall: log.hook });
    log.bindClock(() => h.clock.now());
  });
  afterEach(() => h.stop());

  it('a batch update answered 502 three times is retried with growing, jittered backoff and then lands once (R8)', async () => {
    h.sim.control.setFaults(PORTAL, { failingRoutes: [{ method: 'POST', pathPattern: BATCH_UPDATE_PATH, status: 502, times: 3 }] });
    h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 5 }, (_, i) => ({ email: `retry${i}@acme.test` })),
    );
    await runUntilQuiet(h, { stepMs: 100 });

    const writes = log.of(PORTAL, 'batch_update');
    expect(writes.map((c) => c.status)).toEqual([502, 502, 502, 200]);
    // Retry n waits a jittered [½, 1] × 2^(n-1) s (backoff.ts); the test's 100 ms steps add at most 100 ms.
    const gaps = writes.slice(1).map((c, i) => c.at - writes[i]!.at);
    gaps.forEach((gap, i) => {
      const ceiling = 1_000 * 2 ** i;
      expect(gap).toBeGreaterThanOrEqual(ceiling / 2);
      expect(gap).toBeLessThanOrEqual(ceiling + 100);
    });
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 5 });
    expect(await h.store.ledger.count(PORTAL)).toBe(5);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    expect(h.sim.control.stats().portals[String(PORTAL)]!.serverErrors).toBe(3);
  });

  it('a write HubSpot refuses for good is dead-lettered at once with the reason, and a retry from the dead letters lands it once the cause is fixed (R8)', async () => {
    const [id] = h.sim.control.seed(PORTAL, 'contacts', [{ email: 'never@acme.test' }]);
    const message = 'Property values were not valid: lc_stage is locked by a validation rule';
    h.sim.control.setFaults(PORTAL, { failingItems: [{ objectType: 'contacts', ids: [id!], message }] });
    await runUntilQuiet(h, { stepMs: 1_000 });

    // A permanent refusal is not retried: one call, then the dead letters (transient 5xx never get there, see R22).
    expect(log.of(PORTAL, 'batch_update')).toHaveLength(1);
    const [dead] = await h.store.deadLetters.list(PORTAL);
    expect(dead).toMatchObject({ source: 'outbox', objectId: id });
    expect(dead!.reason).toBe(`HubSpot rejected the values: ${message}`);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ '(none)': 1 });

    // The admin fixes the validation rule; the operator re-drives the dead letter and the write lands.
    h.sim.control.clearFaults(PORTAL);
    expect(await h.store.deadLetters.retry(PORTAL, dead!.id, h.clock.now())).toBe(true);
    await runUntilQuiet(h);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 1 });
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
  });

  it("when HubSpot rejects 3 of 100 inputs, the 97 others are applied and the 3 are dead-lettered with HubSpot's message, never retried as a batch (R9)", async () => {
    const ids = h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 100 }, (_, i) => ({ email: `batch${i}@acme.test` })),
    );
    const rejected = [ids[7]!, ids[42]!, ids[99]!];
    const message = 'Property values were not valid: lc_stage is locked by a validation rule';
    h.sim.control.setFaults(PORTAL, { failingItems: [{ objectType: 'contacts', ids: rejected, message }] });
    await runUntilQuiet(h);

    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 97, '(none)': 3 });
    const dead = await h.store.deadLetters.list(PORTAL);
    expect(dead.map((d) => d.objectId).sort()).toEqual([...rejected].sort());
    for (const letter of dead) expect(letter.reason).toBe(`HubSpot rejected the values: ${message}`);
    // One batch write for the 100 records: the partial failure was settled item by item.
    expect(log.of(PORTAL, 'batch_update').map((c) => c.status)).toEqual([200]);
    expect(await h.store.outbox.pendingCount(PORTAL)).toBe(0);
  });
});

describe('a recycle interrupted between its clear and its set (R10)', () => {
  let h: PipelineHarness;
  let folder: string;
  let restarted: { backend: Backend; store: Store } | null = null;
  let log: CallLog;
  beforeEach(async () => {
    restarted = null;
    log = new CallLog();
    folder = mkdtempSync(path.join(tmpdir(), 'lc-r10-'));
    h = await startPipelineHarness({ databaseUrl: `sqlite:${path.join(folder, 'lifecycle.db')}`, onHubSpotCall: log.hook });
    log.bindClock(() => h.clock.now());
  });
  afterEach(async () => {
    if (restarted) {
      await restarted.backend.stop();
      await restarted.store.close();
    }
    await h.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A new process: a new store on the same database file and a new backend; then `afterMs` of time passes. */
  async function restartOnSameDatabase(afterMs: number): Promise<{ backend: Backend; store: Store }> {
    const store = await createStore(`sqlite:${path.join(folder, 'lifecycle.db')}`);
    const portals = h.sim.portals.map((p) => ({ portalId: p.portalId, accessToken: p.accessTokens[0]!, clientSecrets: [p.clientSecret], rateLimit: 110 }));
    const backend = await startBackend({
      store,
      model: () => h.model,
      hubspotBaseUrl: h.sim.baseUrl,
      portals,
      clock: h.clock,
      logger: createLogger('silent'),
      port: 0,
      runWorker: false,
      onHubSpotCall: log.hook,
    });
    restarted = { backend, store };
    subscribeSimulator(h.sim, backend.url);
    h.clock.advance(afterMs);
    for (let i = 0; i < 5; i++) {
      await h.sim.idle();
      await backend.runner.drain();
    }
    return restarted;
  }

  it('after a restart on the same database the set is made, the record was blank for at most one retry interval, and the ledger has one recycle row', async () => {
    const id = await h.createContact({ email: 'dee@acme.test' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id, dealname: 'Dee deal' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'opportunity', lifecyclestage: 'opportunity' });

    // The worker "dies" right after HubSpot accepted the clear: from then on its writes never reach HubSpot.
    let clearedAt: number | null = null;
    log.onCall((call) => {
      if (clearedAt === null && call.operation === 'batch_update' && call.ok && h.sim.state.portal(PORTAL).crm.require('contacts', id).properties.get('lifecyclestage') === '') {
        clearedAt = h.clock.now();
        h.sim.control.setFaults(PORTAL, { failingRoutes: [{ method: 'POST', pathPattern: BATCH_UPDATE_PATH, status: 503 }] });
      }
    });
    h.clock.advance(10 * DAY);
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'Went with a competitor' });
    await runDueWork(h);
    expect(clearedAt).not.toBeNull();
    expect(await h.contact(id)).toMatchObject({ lifecyclestage: '', lc_stage: 'recycle_b' });
    await h.backend.stop();
    await h.store.close();

    // A new process: new store on the same file, new backend, HubSpot healthy again.
    h.sim.control.clearFaults(PORTAL);
    const writesBeforeRestart = log.of(PORTAL, 'batch_update').length;
    const { store } = await restartOnSameDatabase(1_000); // the longest first retry delay

    expect(await h.contact(id)).toMatchObject({ lifecyclestage: 'lead', lc_stage: 'recycle_b', lc_previous_stage: 'opportunity' });
    // Only the set was sent again: HubSpot saw opportunity → "" → lead, one clear and one set.
    const history = h.sim.state.portal(PORTAL).crm.require('contacts', id).history.get('lifecyclestage')!;
    expect(history.slice(0, 3).map((v) => v.value)).toEqual(['lead', '', 'opportunity']);
    const blankForMs = Date.parse(history[0]!.timestamp) - Date.parse(history[1]!.timestamp);
    expect(blankForMs).toBeLessThanOrEqual(1_000);
    expect(
      log
        .of(PORTAL, 'batch_update')
        .slice(writesBeforeRestart)
        .map((c) => c.status),
    ).toEqual([200]);
    const recycles = (await store.ledger.history(PORTAL, { objectType: 'contact', objectId: id })).filter((e) => e.kind === 'recycle');
    expect(recycles).toHaveLength(1);
    expect(recycles[0]).toMatchObject({ fromStage: 'opportunity', toStage: 'recycle_b' });
    expect(await store.outbox.pendingCount(PORTAL)).toBe(0);
  });

  it('killed after HubSpot took the clear but before the step was saved, the restarted worker re-drives the move once its lease expires: it ends set, with one recycle row (R11)', async () => {
    const id = await h.createContact({ email: 'kim@acme.test' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id });
    await h.settle();
    let killed = false;
    // The process dies the moment the clear is acknowledged: its database connection is gone before it can record the step.
    log.onCall((call) => {
      if (!killed && call.operation === 'batch_update' && call.ok) {
        killed = true;
        void h.store.close();
      }
    });
    h.clock.advance(10 * DAY);
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'No budget' });
    await h.sim.idle();
    await expect(h.backend.runner.drain()).rejects.toThrow();
    expect(killed).toBe(true);
    expect(h.sim.state.portal(PORTAL).crm.require('contacts', id).properties.get('lifecyclestage')).toBe('');
    await h.backend.stop();

    const { store } = await restartOnSameDatabase(121_000); // past the dead worker's 120 s lease
    expect(await h.contact(id)).toMatchObject({ lifecyclestage: 'lead', lc_stage: 'recycle_b' });
    const values = h.sim.state
      .portal(PORTAL)
      .crm.require('contacts', id)
      .history.get('lifecyclestage')!
      .map((v) => v.value);
    const sinceOpportunity = values.slice(0, values.indexOf('opportunity'));
    expect(sinceOpportunity[0]).toBe('lead');
    expect(new Set(sinceOpportunity.slice(1))).toEqual(new Set(['']));
    const recycles = (await store.ledger.history(PORTAL, { objectType: 'contact', objectId: id })).filter((e) => e.kind === 'recycle');
    expect(recycles).toHaveLength(1);
    expect(await store.outbox.pendingCount(PORTAL)).toBe(0);
  });
});
