import type { Clock } from '../../app/ports/clock';

export interface RollingWindowOptions {
  /** Requests allowed per window (HubSpot: 110 per 10 s for public apps, 100/190 for private tiers). */
  maxRequests: number;
  windowMs: number;
  /** Share of the limit we allow ourselves, leaving room for the portal's other integrations. */
  headroom?: number;
}

/**
 * Per-portal rolling-window limiter mirroring HubSpot's TEN_SECONDLY_ROLLING policy. We wait before sending
 * rather than learning the limit from 429s (certification allows ≤ 5 % error responses). After a 429 it also
 * holds every call until the window HubSpot named has passed.
 */
export class RollingWindowLimiter {
  private readonly sent: number[] = [];
  private blockedUntil = 0;
  private readonly capacity: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: RollingWindowOptions,
    private readonly clock: Clock,
  ) {
    this.capacity = Math.max(1, Math.floor(options.maxRequests * (options.headroom ?? 0.9)));
  }

  /** Resolves when one more request may be sent; callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** HubSpot answered 429: send nothing until `ms` from now. */
  backOff(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + ms);
  }

  /** Requests sent within the current window (for metrics and tests). */
  inWindow(): number {
    this.evict(this.clock.now());
    return this.sent.length;
  }

  private evict(now: number) {
    while (this.sent.length > 0 && this.sent[0]! <= now - this.options.windowMs) this.sent.shift();
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now < this.blockedUntil) {
        await this.clock.sleep(this.blockedUntil - now);
        continue;
      }
      this.evict(now);
      if (this.sent.length < this.capacity) {
        this.sent.push(now);
        return;
      }
      await this.clock.sleep(this.sent[0]! + this.options.windowMs - now + 1);
    }
  }
}
