import fc from 'fast-check';
import { dailyLimitRetryAt, PARKED_PROBE_MS, retryDelayMs, transientRetryAt, TRANSIENT_RETRY_WINDOW_MS } from '../backoff';

/** Pinned, so the suite is deterministic; set FC_RUNS / FC_SEED for a deeper or different search (a failure prints its seed). */
const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 100), seed: Number(process.env['FC_SEED'] ?? 20260301) };

const HOUR = 3_600_000;

describe('when to try HubSpot again', () => {
  it('after a daily-limit refusal, a minute past the next full hour: every time zone’s midnight is met within the hour', () => {
    expect(dailyLimitRetryAt(Date.UTC(2026, 0, 5, 9, 12))).toBe(Date.UTC(2026, 0, 5, 10, 1));
    expect(dailyLimitRetryAt(Date.UTC(2026, 0, 5, 23, 59, 59))).toBe(Date.UTC(2026, 0, 6, 0, 1));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), (now) => {
        const at = dailyLimitRetryAt(now);
        return at > now && at - now <= HOUR + 60_000 && at % HOUR === 60_000;
      }),
      RUNS,
    );
  });

  it('after a transient failure, a jittered delay between half and all of a ceiling that doubles up to 10 minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(10 * 60_000, 1_000 * 2 ** (attempt - 1));
        const delay = retryDelayMs(attempt, () => r);
        return delay >= ceiling / 2 - 1 && delay <= ceiling;
      }),
      RUNS,
    );
  });

  it('transient failures are retried on the capped backoff for 72 hours, then parked with an hourly probe, never given up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * TRANSIENT_RETRY_WINDOW_MS }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (failingFor, attempts, r) => {
          const now = Date.UTC(2026, 0, 5);
          const at = transientRetryAt({ now, attempts, failingSince: now - failingFor, random: () => r });
          return failingFor >= TRANSIENT_RETRY_WINDOW_MS ? at === now + PARKED_PROBE_MS : at > now && at - now <= 10 * 60_000;
        },
      ),
      { seed: 12 },
    );
  });
});
