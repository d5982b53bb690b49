import type { RateWindow } from '../../../app/ports/rate-budget';
import { OTHER_PORTAL, PORTAL, T0 } from './support/fixtures';
import { describeEachDialect, StoreHarness } from './support/store-harness';

const WINDOW: RateWindow = { maxRequests: 3, windowMs: 10_000 };

describeEachDialect('shared rate budget', (harness) => {
  const budgets = () => harness.store.rateBudgets;
  // Every test takes from its own budget name, so no test sees another's requests.
  let budget = 0;
  const nextBudget = () => `api-${++budget}`;

  it('grants as many requests as the window holds, then names the instant the oldest one leaves it', async () => {
    const name = nextBudget();
    const grants = [];
    for (let i = 0; i < 4; i++) grants.push(await budgets().take(PORTAL, name, WINDOW, T0 + i));

    expect(grants).toEqual([{ granted: true }, { granted: true }, { granted: true }, { granted: false, retryAt: T0 + WINDOW.windowMs }]);
  });

  it('grants again once the window has rolled past the oldest request', async () => {
    const name = nextBudget();
    for (let i = 0; i < 3; i++) await budgets().take(PORTAL, name, WINDOW, T0 + i);

    expect(await budgets().take(PORTAL, name, WINDOW, T0 + WINDOW.windowMs - 1)).toEqual({ granted: false, retryAt: T0 + WINDOW.windowMs });
    expect(await budgets().take(PORTAL, name, WINDOW, T0 + WINDOW.windowMs)).toEqual({ granted: true });
    expect(await budgets().take(PORTAL, name, WINDOW, T0 + WINDOW.windowMs)).toEqual({ granted: false, retryAt: T0 + 1 + WINDOW.windowMs });
  });

  it('after a 429 holds every taker until the back-off ends; a shorter later back-off does not shorten it', async () => {
    const name = nextBudget();
    await budgets().holdUntil(PORTAL, name, T0 + 5_000);
    await budgets().holdUntil(PORTAL, name, T0 + 1_000);

    expect(await budgets().take(PORTAL, name, WINDOW, T0)).toEqual({ granted: false, retryAt: T0 + 5_000 });
    expect(await budgets().take(PORTAL, name, WINDOW, T0 + 5_000)).toEqual({ granted: true });
  });

  it('keeps portals apart, and a portal’s budgets apart from each other', async () => {
    const name = nextBudget();
    const other = nextBudget();
    for (let i = 0; i < 3; i++) await budgets().take(PORTAL, name, WINDOW, T0);
    await budgets().holdUntil(PORTAL, other, T0 + 60_000);

    expect(await budgets().take(OTHER_PORTAL, name, WINDOW, T0)).toEqual({ granted: true });
    expect(await budgets().take(OTHER_PORTAL, other, WINDOW, T0)).toEqual({ granted: true });
  });

  it('follows a lowered limit at once: requests already in the window count against it', async () => {
    const name = nextBudget();
    for (let i = 0; i < 3; i++) await budgets().take(PORTAL, name, WINDOW, T0 + i);

    expect(await budgets().take(PORTAL, name, { maxRequests: 2, windowMs: WINDOW.windowMs }, T0 + 10)).toEqual({ granted: false, retryAt: T0 + 1 + WINDOW.windowMs });
  });
});

describe('shared rate budget taken by three instances at the same instant (postgres)', () => {
  const harness = new StoreHarness('postgres');
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('grants exactly the window’s capacity, never one more', async () => {
    // Three stores = three connection pools, as three backend processes would hold.
    const instances = [harness.store, await harness.openAnother(), await harness.openAnother()];
    const window: RateWindow = { maxRequests: 20, windowMs: 10_000 };

    const grants = await Promise.all(Array.from({ length: 90 }, (_, i) => instances[i % 3]!.rateBudgets.take(PORTAL, 'api', window, T0)));

    expect(grants.filter((grant) => grant.granted)).toHaveLength(20);
    expect(grants.filter((grant) => !grant.granted)).toEqual(Array.from({ length: 70 }, () => ({ granted: false, retryAt: T0 + window.windowMs })));
  });
});
