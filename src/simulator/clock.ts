/**
 * Time source of the simulator. Rate-limit windows, record timestamps and webhook retry schedules all read
 * `now()`, so tests drive time with a ManualClock instead of sleeping.
 *
 * Deliberately not the backend's clock (src/app/ports/clock.ts): the simulator stands for HubSpot and imports
 * nothing of the backend, and the two manual clocks differ on purpose. ManualClock refuses to go backwards or
 * advance by a negative amount (HubSpot's time never rewinds) and takes dates; SimulatedClock has `sleep` (it
 * moves time instead of waiting) and may be `set` anywhere. Any SimulatedClock is also a simulator Clock.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; `advance` is what a test calls instead of waiting. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: number | string | Date = Date.UTC(2026, 10, 2, 9, 0, 0)) {
    this.current = new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): number {
    if (!(ms >= 0)) throw new Error(`ManualClock.advance needs a non-negative duration, got ${ms}`);
    this.current += ms;
    return this.current;
  }

  set(to: number | string | Date): void {
    const next = new Date(to).getTime();
    if (next < this.current) throw new Error('ManualClock cannot move backwards');
    this.current = next;
  }
}
