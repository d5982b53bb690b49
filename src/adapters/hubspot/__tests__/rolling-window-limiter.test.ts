import { SimulatedClock } from '../../../app/ports/clock';
import { RollingWindowLimiter } from '../rolling-window-limiter';

const WINDOW = 10_000;
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Acquires and tells when, on the simulated clock (its sleeps move it), the slot was granted. */
async function grantedAt(limiter: RollingWindowLimiter, clock: SimulatedClock): Promise<number> {
  await limiter.acquire();
  return clock.now();
}

describe('the per-portal rolling-window limiter', () => {
  it('lets the limit through at once, then holds the next request until a window has passed since the first completed', async () => {
    const clock = new SimulatedClock(0);
    const limiter = new RollingWindowLimiter({ maxRequests: 3, windowMs: WINDOW, headroom: 1 }, clock);
    for (let i = 0; i < 3; i++) expect(await grantedAt(limiter, clock)).toBe(0);
    // The three answers take 400 ms: HubSpot may have counted the requests that late, so their window runs from then.
    clock.advance(400);
    for (let i = 0; i < 3; i++) limiter.settled();
    expect(await grantedAt(limiter, clock)).toBeGreaterThan(400 + WINDOW);
  });

  it('a request still in flight holds its slot however long it takes; the next caller waits for it to settle, then a window', async () => {
    const clock = new SimulatedClock(0);
    const limiter = new RollingWindowLimiter({ maxRequests: 1, windowMs: WINDOW, headroom: 1 }, clock);
    await limiter.acquire();
    clock.advance(5 * WINDOW);
    let granted: number | null = null;
    const next = grantedAt(limiter, clock).then((at) => (granted = at));
    await tick();
    expect(granted).toBeNull();
    limiter.settled();
    await next;
    expect(granted).toBeGreaterThan(6 * WINDOW);
  });

  it('after a 429 nothing is granted before the back-off has passed', async () => {
    const clock = new SimulatedClock(0);
    const limiter = new RollingWindowLimiter({ maxRequests: 100, windowMs: WINDOW, headroom: 1 }, clock);
    await limiter.acquire();
    limiter.settled();
    limiter.backOff(WINDOW);
    expect(await grantedAt(limiter, clock)).toBeGreaterThanOrEqual(WINDOW);
  });

  it("keeps a tenth of the limit for the portal's other integrations by default", async () => {
    const clock = new SimulatedClock(0);
    const limiter = new RollingWindowLimiter({ maxRequests: 110, windowMs: WINDOW }, clock);
    for (let i = 0; i < 99; i++) await limiter.acquire();
    expect(limiter.inWindow()).toBe(99);
    let hundredth: number | null = null;
    const next = grantedAt(limiter, clock).then((at) => (hundredth = at));
    await tick();
    expect(hundredth).toBeNull();
    for (let i = 0; i < 99; i++) limiter.settled();
    await next;
    expect(hundredth).toBeGreaterThan(WINDOW);
  });
});
