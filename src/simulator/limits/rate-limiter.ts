import type { Clock } from '../clock';
import type { RateLimitPolicy } from './tiers';
import { isPrivateTier } from './tiers';
import { RollingWindow } from './rolling-window';

export type RateLimitPolicyName = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

export type AdmitResult = { admitted: true; headers: Record<string, string> } | { admitted: false; policyName: RateLimitPolicyName; headers: Record<string, string> };

const DAY_MS = 86_400_000;

/**
 * One portal's request budget: the rolling 10-second burst, the daily pool (reset at midnight UTC here;
 * HubSpot resets in the account's time zone) and the separate CRM search limit. Only admitted requests
 * consume budget.
 */
export class PortalRateLimiter {
  private burst: RollingWindow;
  private readonly search: RollingWindow;
  private day = -1;
  private usedToday = 0;
  private stormUntil = -1;

  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly clock: Clock,
  ) {
    this.burst = new RollingWindow(10_000, policy.perTenSeconds);
    this.search = new RollingWindow(1_000, policy.searchPerSecond);
  }

  admit(kind: 'standard' | 'search'): AdmitResult {
    const now = this.clock.now();
    this.rollDay(now);
    if (this.policy.daily !== null && this.usedToday >= this.policy.daily) return { admitted: false, policyName: 'DAILY', headers: this.headers(now) };
    if (now < this.stormUntil) return { admitted: false, policyName: 'TEN_SECONDLY_ROLLING', headers: this.headers(now) };
    if (kind === 'search') {
      // Search responses carry no rate-limit headers (reliability.md §2).
      if (!this.search.tryTake(now)) return { admitted: false, policyName: 'SECONDLY', headers: {} };
      this.usedToday += 1;
      return { admitted: true, headers: {} };
    }
    if (!this.burst.tryTake(now)) return { admitted: false, policyName: 'TEN_SECONDLY_ROLLING', headers: this.headers(now) };
    this.usedToday += 1;
    return { admitted: true, headers: this.headers(now) };
  }

  /** Fault injection: every request gets a TEN_SECONDLY_ROLLING 429 for `durationMs` of clock time. */
  storm(durationMs: number): void {
    this.stormUntil = this.clock.now() + durationMs;
  }

  exhaustDaily(): void {
    this.rollDay(this.clock.now());
    this.usedToday = this.policy.daily ?? Number.POSITIVE_INFINITY;
  }

  usage(): { usedToday: number; burstRemaining: number; searchRemaining: number } {
    const now = this.clock.now();
    this.rollDay(now);
    return { usedToday: this.usedToday, burstRemaining: this.burst.remaining(now), searchRemaining: this.search.remaining(now) };
  }

  private rollDay(now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.usedToday = 0;
    }
  }

  private headers(now: number): Record<string, string> {
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Max': String(this.policy.perTenSeconds),
      'X-HubSpot-RateLimit-Remaining': String(now < this.stormUntil ? 0 : this.burst.remaining(now)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
    };
    if (isPrivateTier(this.policy.tier) && this.policy.daily !== null) {
      headers['X-HubSpot-RateLimit-Daily'] = String(this.policy.daily);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, this.policy.daily - this.usedToday));
    }
    return headers;
  }
}
