/** Counts events in the last `windowMs` (a true rolling window, as HubSpot's TEN_SECONDLY_ROLLING policy). */
export class RollingWindow {
  private readonly stamps: number[] = [];

  constructor(
    readonly windowMs: number,
    readonly max: number,
  ) {}

  /** Records an event at `now` when there is room; returns whether it was admitted. */
  tryTake(now: number): boolean {
    this.evict(now);
    if (this.stamps.length >= this.max) return false;
    this.stamps.push(now);
    return true;
  }

  remaining(now: number): number {
    this.evict(now);
    return Math.max(0, this.max - this.stamps.length);
  }

  private evict(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] as number) <= now - this.windowMs) this.stamps.shift();
  }
}
