import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { CallLog, runDueWork, runUntilQuiet, stagesInHubSpot } from './failures-support';

const WINDOW_MS = 10_000;

describe('HubSpot rate limits during write-back (R6, R7)', () => {
  let h: PipelineHarness;
  let log: CallLog;
  afterEach(() => h.stop());

  it('during a 30-second 429 storm nothing is sent within the window after a 429, every write lands afterwards, and 429s stay under 5 % of calls (R6)', async () => {
    log = new CallLog();
    h = await startPipelineHarness({ onHubSpotCall: log.hook });
    log.bindClock(() => h.clock.now());
    let stormStartedAt: number | null = null;
    // The storm begins right after the first batch write succeeds: the rest of the write-back runs into it.
    log.onCall((call) => {
      if (stormStartedAt === null && call.operation === 'batch_update' && call.ok) {
        stormStartedAt = h.clock.now();
        h.sim.control.rateLimitStorm(PORTAL, 30_000);
      }
    });

    const ids = h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 3_000 }, (_, i) => ({ email: `storm${i}@acme.test` })),
    );
    await runUntilQuiet(h);

    const refused = log.calls.filter((c) => c.status === 429);
    expect(stormStartedAt).not.toBeNull();
    expect(refused.length).toBeGreaterThan(0);
    // After each 429, the next call waits for HubSpot's rolling window (X-HubSpot-RateLimit-Interval-Milliseconds).
    log.calls.forEach((call, i) => {
      const next = log.calls[i + 1];
      if (call.status === 429 && next) expect(next.at - call.at).toBeGreaterThanOrEqual(WINDOW_MS);
    });
    // Nothing reached HubSpot during the storm except the probes that found it still raging.
    const duringStorm = log.calls.filter((c) => c.at >= stormStartedAt! && c.at < stormStartedAt! + 30_000);
    expect(duringStorm.every((c) => c.status === 429 || c.at === stormStartedAt)).toBe(true);
    // All 3,000 writes landed, none was given up on.
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 3_000 });
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    expect(await h.store.ledger.count(PORTAL)).toBe(ids.length);
    // HubSpot's certification budget: error responses ≤ 5 % of requests. The simulator counts the same 429s.
    expect(refused.length / log.calls.length).toBeLessThanOrEqual(0.05);
    expect(h.sim.control.stats().portals[String(PORTAL)]!.rateLimited).toBe(refused.length);
  }, 60_000);

  it('when the daily limit is exhausted the portal is parked with one probe an hour until the reset, nothing is lost, the admin is alerted once, and another portal carries on (R7)', async () => {
    const OTHER = 202;
    log = new CallLog();
    h = await startPipelineHarness({
      portals: [{ portalId: PORTAL, tier: 'private-starter' }, { portalId: OTHER }],
      onHubSpotCall: log.hook,
    });
    log.bindClock(() => h.clock.now());
    let exhaustedAt: number | null = null;
    // The daily pool runs dry right after the first batch write of the private portal.
    log.onCall((call) => {
      if (exhaustedAt === null && call.portalId === PORTAL && call.operation === 'batch_update' && call.ok) {
        exhaustedAt = h.clock.now();
        h.sim.control.exhaustDailyLimit(PORTAL);
      }
    });

    h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 250 }, (_, i) => ({ email: `daily${i}@acme.test` })),
    );
    h.sim.control.seed(
      OTHER,
      'contacts',
      Array.from({ length: 250 }, (_, i) => ({ email: `other${i}@globex.test` })),
    );
    await runDueWork(h);

    // The first 100 writes landed before the pool ran dry; the other 150 are parked, not lost nor dead-lettered.
    expect(exhaustedAt).not.toBeNull();
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 100, '(none)': 150 });
    expect(await h.store.outbox.pendingCount(PORTAL)).toBe(150);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    // One refusal parks the whole portal: its second batch is not even sent.
    expect(log.of(PORTAL).filter((c) => c.status === 429)).toHaveLength(1);
    // The other portal is not held up by its neighbour's limit (I3).
    expect(stagesInHubSpot(h, OTHER)).toEqual({ lead_acquired: 250 });
    expect(await h.store.outbox.pendingCount(OTHER)).toBe(0);
    // The admin hears about it once, not once per parked round; the other portal raised nothing.
    expect(await h.store.alerts.forPortal(PORTAL)).toEqual([expect.objectContaining({ kind: 'daily_limit', message: expect.stringContaining('daily API limit') })]);
    expect(await h.store.alerts.forPortal(OTHER)).toEqual([]);

    // HubSpot resets the pool at midnight in the account's time zone (the simulator: UTC), which we do not know:
    // until then the parked portal sends one probe a little after each hour, and nothing else.
    const reset = Date.UTC(new Date(exhaustedAt!).getUTCFullYear(), new Date(exhaustedAt!).getUTCMonth(), new Date(exhaustedAt!).getUTCDate() + 1);
    const callsWhenParked = log.of(PORTAL).length;
    let hours = 0;
    for (let t = h.clock.now() + 3_600_000; t < reset; t += 3_600_000, hours++) {
      h.clock.set(t);
      await runDueWork(h);
    }
    const probes = log.of(PORTAL).slice(callsWhenParked);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.length).toBeLessThanOrEqual(hours);
    expect(probes.every((c) => c.status === 429 && c.operation === 'batch_update')).toBe(true);
    expect(await h.store.outbox.pendingCount(PORTAL)).toBe(150);

    // The first probe after the reset finds the pool full again: everything lands within the hour.
    h.clock.set(reset + 3_600_000);
    await runUntilQuiet(h);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 250 });
    expect(await h.store.ledger.count(PORTAL)).toBe(250);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    expect(
      log
        .of(PORTAL)
        .filter((c) => c.status === 429)
        .every((c) => c.at < reset),
    ).toBe(true);
    expect(await h.store.alerts.forPortal(PORTAL)).toHaveLength(1);
  }, 60_000);
});
