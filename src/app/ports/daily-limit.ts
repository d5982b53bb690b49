const HOUR_MS = 3_600_000;

/**
 * When to look again after HubSpot's daily pool ran dry. HubSpot resets it at midnight in the account's time zone,
 * which we do not know (UNVERIFIED which clock HubSpot uses for apps); every zone's midnight falls on a UTC hour or
 * half hour, so one probe a minute past each hour resumes work at most an hour late, for ≤ 24 refused calls a day.
 *
 * Beside the ports because both sides of them keep this policy: the worker parks work until then (app/pipeline) and
 * the gateway's daily-limit latch refuses calls until then (adapters/hubspot/call-path.ts).
 */
export function dailyLimitRetryAt(now: number): number {
  return (Math.floor(now / HOUR_MS) + 1) * HOUR_MS + 60_000;
}
