import type { Clock } from '../../app/ports/clock';
import { LearntCapacity } from './learnt-capacity';

export interface RollingWindowOptions {
  /** Requests allowed per window (HubSpot: 110 per 10 s for public apps, 100/190 for private tiers). */
  maxRequests: number;
  windowMs: number;
  /** Share of the limit we allow ourselves, leaving room for the portal's other integrations. */
  headroom?: number;
}

/**
 * Per-portal rolling-window limiter mirroring HubSpot's TEN_SECONDLY_ROLLING policy. We wait before sending
 * (certification allows ≤ 5 % error responses). After a 429 it holds every call until the window HubSpot named has
 * passed, and lowers its own budget for a while (LearntCapacity): the configured limit may be more than HubSpot grants.
 *
 * HubSpot stamps a request when it arrives, which is after we send it; stamping at send time would free the slot
 * too early by the request's latency and earn a 429 (a whole window lost) when the window is run full. So a slot is
 * held from `acquire` until its request has `settled` and then for a full window from that moment.
 */
export class RollingWindowLimiter {
  /** Slot stamps, oldest first: completion times, then IN_FLIGHT for requests not settled yet. */
  private readonly stamps: number[] = [];
  private blockedUntil = 0;
  /** The configured budget per window. */
  private readonly capacity: number;
  /** The budget as learnt from HubSpot's 429s (R28). */
  private readonly learnt: LearntCapacity;
  private queue: Promise<void> = Promise.resolve();
  private waitingForSettle: Array<() => void> = [];

  constructor(
    private readonly options: RollingWindowOptions,
    private readonly clock: Clock,
  ) {
    this.capacity = Math.max(1, Math.floor(options.maxRequests * (options.headroom ?? 0.9)));
    this.learnt = new LearntCapacity(clock, options.windowMs);
  }

  /** Resolves when one more request may be sent; callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** The request of one acquired slot completed: its window starts now. */
  settled(): void {
    const first = this.stamps.indexOf(IN_FLIGHT);
    // Every finite stamp is ≤ now and sits before the in-flight ones, so the array stays sorted.
    if (first >= 0) this.stamps[first] = this.clock.now();
    const waiting = this.waitingForSettle;
    this.waitingForSettle = [];
    waiting.forEach((wake) => wake());
  }

  /** HubSpot answered 429: send nothing until `ms` from now, and lower the budget (LearntCapacity). */
  backOff(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + ms);
    this.learnt.rateLimited(this.capacity);
  }

  /** Requests this limiter lets into one window now: the configured budget, or less while it recovers from 429s. */
  capacityNow(): number {
    return this.learnt.now(this.capacity);
  }

  /** Requests counted in the current window, in flight included (for metrics and tests). */
  inWindow(): number {
    this.evict(this.clock.now());
    return this.stamps.length;
  }

  private evict(now: number) {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.options.windowMs) this.stamps.shift();
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now < this.blockedUntil) {
        await this.clock.sleep(this.blockedUntil - now);
        continue;
      }
      this.evict(now);
      if (this.stamps.length < this.capacityNow()) {
        this.stamps.push(IN_FLIGHT);
        return;
      }
      const oldest = this.stamps[0]!;
      if (oldest === IN_FLIGHT) await new Promise<void>((wake) => this.waitingForSettle.push(wake));
      else await this.clock.sleep(oldest + this.options.windowMs - now + 1);
    }
  }
}

/** The stamp of a slot whose request has not completed: it counts in every window until it settles. */
const IN_FLIGHT = Number.POSITIVE_INFINITY;
