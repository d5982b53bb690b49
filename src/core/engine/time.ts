export const DAY_MS = 86_400_000;

/** ISO-8601 rendering of an epoch-ms instant (pure: formats the given time, never reads the clock). */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
