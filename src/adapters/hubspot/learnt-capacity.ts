import type { Clock } from '../../app/ports/clock';

/**
 * How a rate budget learns from 429s (R28). HUBSPOT_RATE_LIMIT can be wrong (a lower tier) or shared with another
 * app of the account; then HubSpot answers 429 and every one costs a whole window. Each 429 halves the budget (once
 * per window: the 429s of requests already in flight say nothing new); it climbs back by 1 % of the configured limit
 * (at least one request) per minute without a 429 — slowly, so a limit found too high is probed rarely.
 */
export const ADAPTIVE = { cut: 0.5, recoverEveryMs: 60_000, recoverShare: 0.01 } as const;

/** One portal's budget per window, as learnt from HubSpot's 429s. */
export class LearntCapacity {
  private learnt: { capacity: number; cutAt: number } | null = null;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly windowMs: number,
  ) {}

  /** Requests allowed in one window now: `configured`, or less while recovering from 429s. */
  now(configured: number): number {
    if (!this.learnt) return configured;
    const steps = Math.floor((this.clock.now() - this.learnt.cutAt) / ADAPTIVE.recoverEveryMs);
    const recovered = this.learnt.capacity + steps * Math.max(1, Math.round(configured * ADAPTIVE.recoverShare));
    if (recovered >= configured) {
      this.learnt = null;
      return configured;
    }
    return recovered;
  }

  /** HubSpot answered 429 (TEN_SECONDLY_ROLLING). */
  rateLimited(configured: number): void {
    const at = this.clock.now();
    if (this.learnt && at - this.learnt.cutAt < this.windowMs) return;
    this.learnt = { capacity: Math.max(1, Math.floor(this.now(configured) * ADAPTIVE.cut)), cutAt: at };
  }
}
