const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The longest wait between two retries of a transient failure (issue 12: ≤ 10 min). */
export const RETRY_CAP_MS = 10 * MINUTE_MS;
/**
 * How long transient failures (429, 5xx, timeouts, refused connections, a revoked token) are retried on the capped
 * backoff before the work is parked: 72 h, three times HubSpot's own 24 h of webhook retries (reliability.md §1).
 */
export const TRANSIENT_RETRY_WINDOW_MS = 72 * HOUR_MS;
/** Parked work is probed once an hour, and made due at once when another call of its portal succeeds. */
export const PARKED_PROBE_MS = HOUR_MS;

/**
 * Delay before retry n (1-based): exponential with full jitter, capped. Jitter spreads a burst of failures so the
 * retries do not arrive at HubSpot together.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = 1_000, capMs = RETRY_CAP_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * When to retry work that failed transiently: on the capped backoff while its failures are younger than the retry
 * window, then parked (an hourly probe). Transient work is never dead-lettered: it resumes when HubSpot answers.
 */
export function transientRetryAt(input: { now: number; attempts: number; failingSince: number | null; retryAfterMs?: number | null; random?: () => number }): number {
  const since = input.failingSince ?? input.now;
  if (input.now - since >= TRANSIENT_RETRY_WINDOW_MS) return input.now + PARKED_PROBE_MS;
  return input.now + Math.max(input.retryAfterMs ?? 0, retryDelayMs(input.attempts, input.random));
}

/** The daily-limit probe time lives beside the ports (the gateway's latch uses it too); re-exported for the worker. */
export { dailyLimitRetryAt } from '../ports/daily-limit';
