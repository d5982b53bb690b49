/**
 * HubSpot retries a failed delivery "up to 10 times … spread out over the next 24 hours, with varying delays"
 * (webhooks guide). The exact delays are not published: these nine waits (1 min … 12 h, 23.85 h in all) give
 * ten tries over a day. No jitter, so schedules are testable; multiply by the simulator's time scale.
 */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 18_000_000, 43_200_000];

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Delay before attempt `nextAttemptNumber` (1-based retries; attempt 0 is the first delivery). */
export function retryDelay(nextAttemptNumber: number, timeScale: number): number | undefined {
  const base = RETRY_DELAYS_MS[nextAttemptNumber - 1];
  return base === undefined ? undefined : Math.round(base * timeScale);
}

/** Failures HubSpot retries: connection errors, timeouts, 5xx and 429 (other 4xx are dropped; reliability.md §1). */
export function isRetryable(outcome: { status?: number; error?: string }): boolean {
  if (outcome.error !== undefined) return true;
  const status = outcome.status ?? 0;
  return status >= 500 || status === 429;
}
