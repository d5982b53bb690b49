/** Time as a dependency: the shell reads the clock, tests use a manual one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * Simulated time for tests and benchmarks: `sleep` moves the clock instead of waiting, so a rate-limited run of
 * hours takes milliseconds and is measured in simulated seconds.
 */
export class SimulatedClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.current += Math.max(0, ms);
  }

  advance(ms: number): number {
    this.current += Math.max(0, ms);
    return this.current;
  }

  set(to: number): void {
    this.current = to;
  }
}
