import { systemClock } from '../../../app/ports/clock';
import type { RateWindow } from '../../../app/ports/rate-budget';
import { StoreHarness } from '../../store/__tests__/support/store-harness';
import { SharedRateBudget } from '../shared-rate-budget';

const PORTAL = 101;
/** HubSpot's rule on a short window, to keep the test fast. */
const WINDOW: RateWindow = { maxRequests: 5, windowMs: 400 };

/** The most timestamps that fall in any window of `windowMs` (a window closed at its start, open at its end). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('a rate budget shared by three instances through PostgreSQL', () => {
  const harness = new StoreHarness('postgres');
  let instances: SharedRateBudget[];
  beforeAll(async () => {
    await harness.start();
    const stores = [harness.store, await harness.openAnother(), await harness.openAnother()];
    instances = stores.map((store) => new SharedRateBudget({ name: 'api', store: store.rateBudgets, windowFor: () => WINDOW, clock: systemClock }));
  });
  afterAll(() => harness.stop());

  it('lets the three together send no more than the portal’s limit in any rolling window, and serves every caller', async () => {
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: 18 }, async (_, i) => {
        await instances[i % 3]!.acquire(PORTAL);
        sentAt.push(Date.now());
      }),
    );

    expect(sentAt).toHaveLength(18);
    expect(busiestWindow(sentAt, WINDOW.windowMs)).toBeLessThanOrEqual(WINDOW.maxRequests);
    // 18 requests at 5 per 400 ms need at least three full windows.
    expect(Math.max(...sentAt) - Math.min(...sentAt)).toBeGreaterThanOrEqual(3 * WINDOW.windowMs - 50);
  });

  it('holds the other instances after one of them is told 429', async () => {
    const portal = PORTAL + 1;
    const started = Date.now();
    await instances[0]!.backOff(portal, 500);

    await Promise.all([instances[1]!.acquire(portal), instances[2]!.acquire(portal)]);

    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });
});
