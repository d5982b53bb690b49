import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { CallLog, runUntilQuiet, stagesInHubSpot } from '../e2e/failures-support';
import { startSwitchableProxy, type SwitchableProxy } from './support';

/**
 * R22 (docs/reliability.md, I7): transient failures — 5xx, refused connections, a parked daily limit — never
 * exhaust a retry budget: nothing is dead-lettered, everything lands after recovery without a manual retry, retries
 * wait at most 10 minutes apart, and a portal failing for more than 15 minutes raises an alert and a metric.
 * All on the simulated clock: 30 minutes of outage take seconds.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BATCH_UPDATE_PATH = 'batch/update$';

/** Lets `ms` of simulated time pass in `stepMs` steps, delivering webhooks and running what is due at each. */
async function runFor(h: PipelineHarness, ms: number, stepMs: number, atEachStep: () => Promise<void> = async () => undefined): Promise<void> {
  const end = h.clock.now() + ms;
  while (h.clock.now() < end) {
    await h.sim.idle();
    await h.backend.runner.drain();
    await atEachStep();
    h.clock.advance(stepMs);
  }
}

async function failingSeconds(h: PipelineHarness): Promise<number> {
  const text = await (await fetch(`${h.backend.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`lifecycle_portal_failing_seconds{portal="${PORTAL}"}`));
  return Number(line?.split(' ').at(-1) ?? NaN);
}

const outageAlerts = async (h: PipelineHarness) => (await h.store.alerts.forPortal(PORTAL)).filter((a) => String(a.kind) === 'hubspot_unavailable');

describe('R22: HubSpot failing for a long time loses nothing', () => {
  let h: PipelineHarness;
  let log: CallLog;
  let proxy: SwitchableProxy | null = null;
  afterEach(async () => {
    await h.stop();
    await proxy?.stop();
    proxy = null;
  });

  it('503 on every batch update for 30 minutes: nothing dead-lettered, retries ≤ 10 min apart, an alert and a metric after 15 min, all written after recovery by itself', async () => {
    log = new CallLog();
    h = await startPipelineHarness({ onHubSpotCall: log.hook });
    log.bindClock(() => h.clock.now());
    h.sim.control.setFaults(PORTAL, { failingRoutes: [{ method: 'POST', pathPattern: BATCH_UPDATE_PATH, status: 503 }] });
    const start = h.clock.now();
    h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 20 }, (_, i) => ({ email: `early${i}@acme.test` })),
    );
    let metricAt14 = NaN;
    let metricAt16 = NaN;
    let alertsAt14 = -1;
    await runFor(h, 30 * MINUTE, 15_000, async () => {
      const elapsed = h.clock.now() - start;
      if (elapsed === 10 * MINUTE)
        h.sim.control.seed(
          PORTAL,
          'contacts',
          Array.from({ length: 10 }, (_, i) => ({ email: `during${i}@acme.test` })),
        );
      if (elapsed === 14 * MINUTE) {
        metricAt14 = await failingSeconds(h);
        alertsAt14 = (await outageAlerts(h)).length;
      }
      if (elapsed === 16 * MINUTE) metricAt16 = await failingSeconds(h);
    });
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ '(none)': 30 });
    expect(metricAt14).toBeLessThan(15 * 60);
    expect(alertsAt14).toBe(0);
    expect(metricAt16).toBeGreaterThan(15 * 60);
    expect(await outageAlerts(h)).toHaveLength(1);

    h.sim.control.clearFaults(PORTAL);
    const recoveredAt = h.clock.now();
    await runUntilQuiet(h, { stepMs: 15_000 });
    // Without anyone re-driving anything, everything is written within one capped retry interval of recovery.
    expect(h.clock.now() - recoveredAt).toBeLessThanOrEqual(10 * MINUTE + 15_000);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 30 });
    expect(await h.store.ledger.count(PORTAL)).toBe(30);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    expect(await failingSeconds(h)).toBe(0);
    const writes = log.of(PORTAL, 'batch_update');
    const gaps = writes.slice(1).map((c, i) => c.at - writes[i]!.at);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10 * MINUTE + 15_000);
    expect(await outageAlerts(h)).toHaveLength(1);
  }, 120_000);

  it('connections to HubSpot refused for 30 minutes (reads and writes): the events wait in the inbox and are all processed after recovery', async () => {
    h = await startPipelineHarness({
      hubspotUrlFor: async (url) => {
        proxy = await startSwitchableProxy(url);
        return proxy.url;
      },
    });
    await proxy!.down();
    h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 25 }, (_, i) => ({ email: `refused${i}@acme.test` })),
    );
    await h.sim.idle();
    const received = await h.store.inbox.pendingCount(PORTAL);
    expect(received).toBeGreaterThanOrEqual(25);
    await runFor(h, 30 * MINUTE, 15_000);
    expect(await h.store.inbox.pendingCount(PORTAL)).toBe(received);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    expect(await outageAlerts(h)).toHaveLength(1);

    await proxy!.up();
    const recoveredAt = h.clock.now();
    await runUntilQuiet(h, { stepMs: 15_000 });
    expect(h.clock.now() - recoveredAt).toBeLessThanOrEqual(10 * MINUTE + 15_000);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 25 });
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
  }, 120_000);

  it('a daily limit parks the portal for 2 hours: nothing dead-lettered, everything written after the reset without a manual retry', async () => {
    // 22:00 UTC: the simulator resets the daily pool at midnight UTC.
    h = await startPipelineHarness({ start: Date.UTC(2026, 0, 5, 22), portals: [{ portalId: PORTAL, tier: 'private-starter' }] });
    h.sim.control.exhaustDailyLimit(PORTAL);
    h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 15 }, (_, i) => ({ email: `parked${i}@acme.test` })),
    );
    await runFor(h, 2 * HOUR, 5 * MINUTE);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ '(none)': 15 });
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    await runFor(h, HOUR, 5 * MINUTE);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 15 });
    expect(await h.store.inbox.pendingCount(PORTAL)).toBe(0);
    expect(await h.store.outbox.pendingCount(PORTAL)).toBe(0);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
  }, 120_000);

  it('a write failing with 503 for 80 hours is retried on the capped backoff for 72 h, then probed hourly, never dead-lettered, and lands when HubSpot answers', async () => {
    log = new CallLog();
    h = await startPipelineHarness({ onHubSpotCall: log.hook });
    log.bindClock(() => h.clock.now());
    h.sim.control.setFaults(PORTAL, { failingRoutes: [{ method: 'POST', pathPattern: BATCH_UPDATE_PATH, status: 503 }] });
    h.sim.control.seed(PORTAL, 'contacts', [{ email: 'patient@acme.test' }]);
    const start = h.clock.now();
    await runFor(h, 80 * HOUR, 10 * MINUTE);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    const writes = log.of(PORTAL, 'batch_update');
    const inWindow = writes.filter((c) => c.at - start < 72 * HOUR);
    const parked = writes.filter((c) => c.at - start >= 72 * HOUR + 10 * MINUTE);
    // Capped backoff: at least one try per 10 minutes (plus the test's step) for the first 72 hours …
    expect(inWindow.length).toBeGreaterThanOrEqual((72 * HOUR) / (20 * MINUTE));
    // … then one probe an hour.
    expect(parked.length).toBeGreaterThanOrEqual(6);
    expect(parked.length).toBeLessThanOrEqual(8);

    h.sim.control.clearFaults(PORTAL);
    await runUntilQuiet(h, { stepMs: 10 * MINUTE });
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 1 });
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
  }, 180_000);
});
