/**
 * Delay before retry n (1-based): exponential with full jitter, capped. Jitter spreads a burst of failures so the
 * retries do not arrive at HubSpot together.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = 1_000, capMs = 15 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const HOUR_MS = 3_600_000;

/**
 * When to look again after HubSpot's daily pool ran dry. HubSpot resets it at midnight in the account's time zone,
 * which we do not know (UNVERIFIED which clock HubSpot uses for apps); every zone's midnight falls on a UTC hour or
 * half hour, so one probe a minute past each hour resumes work at most an hour late, for ≤ 24 refused calls a day.
 */
export function dailyLimitRetryAt(now: number): number {
  return (Math.floor(now / HOUR_MS) + 1) * HOUR_MS + 60_000;
}
