import { RollingWindowLimiter } from '../../src/adapters/hubspot/rolling-window-limiter';
import { SimulatedClock } from '../../src/app/ports/clock';
import { CallLog, runUntilQuiet, stagesInHubSpot } from '../e2e/failures-support';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

const MINUTE = 60_000;

/**
 * R28 (docs/reliability.md §7b): HUBSPOT_RATE_LIMIT may be wrong (a lower tier than configured) or shared with
 * another app of the account. The limiter learns from HubSpot's 429s: each one lowers the portal's budget, and the
 * budget climbs back slowly while no 429 comes — so a portal that really allows 10 requests per 10 s, configured at
 * 100, sees 429s on at most 1 % of calls, and every write still lands.
 */
describe('R28: the limiter learns from 429s', () => {
  describe('one limiter', () => {
    const fill = async (limiter: RollingWindowLimiter, clock: SimulatedClock) => {
      // Everything one window holds: acquire and settle until the next acquire has to wait for the window.
      const start = clock.now();
      let sent = 0;
      while (clock.now() === start) {
        await limiter.acquire();
        limiter.settled();
        if (clock.now() === start) sent++;
      }
      return sent;
    };

    it('a 429 lowers the budget of the window; it climbs back slowly, to the configured limit, while no 429 comes', async () => {
      const clock = new SimulatedClock(Date.UTC(2026, 2, 2));
      const limiter = new RollingWindowLimiter({ maxRequests: 90, windowMs: 10_000, headroom: 1 }, clock);
      expect(limiter.capacityNow()).toBe(90);

      limiter.backOff(10_000);
      const lowered = limiter.capacityNow();
      expect(lowered).toBeLessThan(90);
      expect(lowered).toBeGreaterThanOrEqual(1);
      clock.advance(10_001);
      expect(await fill(limiter, clock)).toBe(lowered);

      clock.advance(MINUTE);
      expect(limiter.capacityNow()).toBeGreaterThan(lowered); // recovering…
      expect(limiter.capacityNow()).toBeLessThan(90); // …slowly
      clock.advance(60 * MINUTE);
      expect(limiter.capacityNow()).toBe(90);
    });

    it('429s answering requests already in flight when the budget dropped count once', () => {
      const clock = new SimulatedClock(Date.UTC(2026, 2, 2));
      const limiter = new RollingWindowLimiter({ maxRequests: 90, windowMs: 10_000, headroom: 1 }, clock);
      limiter.backOff(10_000);
      const once = limiter.capacityNow();
      limiter.backOff(10_000);
      limiter.backOff(10_000);
      expect(limiter.capacityNow()).toBe(once);
      clock.advance(10_001);
      limiter.backOff(10_000);
      expect(limiter.capacityNow()).toBeLessThan(once);
    });
  });

  describe('a simulated portal limited to 10 requests per 10 s, configured with HUBSPOT_RATE_LIMIT=100', () => {
    let h: PipelineHarness;
    afterEach(() => h.stop());

    it('adapts within a few 429s, then keeps 429s at or under 1 % of calls, and every write lands', async () => {
      const log = new CallLog();
      h = await startPipelineHarness({ portals: [{ portalId: PORTAL, rateLimits: { perTenSeconds: 10 } }], rateLimit: 100, onHubSpotCall: log.hook });
      log.bindClock(() => h.clock.now());
      const refusedIn = (calls: typeof log.calls) => calls.filter((c) => c.status === 429).length;

      // Adapting: each 429 halves the budget once per window, 90 → 45 → 22 → 11 → 5: at most four windows lost.
      h.sim.control.seed(
        PORTAL,
        'contacts',
        Array.from({ length: 1_000 }, (_, i) => ({ email: `learn${i}@acme.test` })),
      );
      await runUntilQuiet(h, { maxSteps: 5_000 });
      const adapting = log.calls.length;
      expect(refusedIn(log.calls)).toBeLessThanOrEqual(4);

      // Adapted: a steady backlog that keeps the portal at its real limit for minutes.
      h.sim.control.seed(
        PORTAL,
        'contacts',
        Array.from({ length: 6_000 }, (_, i) => ({ email: `steady${i}@acme.test` })),
      );
      await runUntilQuiet(h, { maxSteps: 5_000 });
      const adapted = log.calls.slice(adapting);
      expect(adapted.length).toBeGreaterThan(100);
      expect(refusedIn(adapted) / adapted.length).toBeLessThanOrEqual(0.01);

      expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 7_000 });
      expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    }, 240_000);
  });
});
