/**
 * Delay before retry n (1-based): exponential with full jitter, capped. Jitter spreads a burst of failures so the
 * retries do not arrive at HubSpot together.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = 1_000, capMs = 15 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** HubSpot's daily limits reset at midnight (the account's time zone; UTC is the conservative guess here). */
export function nextDailyReset(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, 0, 5);
}
