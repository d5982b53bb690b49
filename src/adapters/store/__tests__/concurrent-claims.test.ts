import type { Store } from '../../../app/ports/store-ports';
import { inboxEvent, PORTAL, T0 } from './support/fixtures';
import { StoreHarness } from './support/store-harness';

const LEASE = 60_000;

describe('claims racing from three instances on one PostgreSQL', () => {
  const harness = new StoreHarness('postgres');
  let instances: Store[];
  beforeAll(async () => {
    await harness.start();
    instances = [harness.store, await harness.openAnother(), await harness.openAnother()];
  });
  beforeEach(() => harness.reset());
  afterAll(() => harness.stop());

  it('never lease one record to two workers, even when the record’s events lie far apart in the queue', async () => {
    const records = Array.from({ length: 30 }, (_, i) => `r${i}`);
    const doubleLeased: string[] = [];
    // Rounds, because a race shows only sometimes: before claims took turns, 30 rounds found several such records.
    for (let round = 0; round < 30; round++) {
      await harness.reset();
      await harness.store.inbox.insertMany(
        PORTAL,
        records.map((id) => inboxEvent(id, `${id}-first`)),
        T0,
      );
      await harness.store.inbox.insertMany(
        PORTAL,
        records.map((id) => inboxEvent(id, `${id}-second`)),
        T0,
      );

      const claims = await Promise.all(Array.from({ length: 9 }, (_, worker) => instances[worker % 3]!.inbox.claim({ workerId: `w${worker}`, limit: 3, leaseMs: LEASE, now: T0 })));

      const workersOf = new Map<string, Set<number>>();
      claims.forEach((events, worker) => events.forEach((event) => workersOf.set(event.objectId, (workersOf.get(event.objectId) ?? new Set()).add(worker))));
      for (const [record, workers] of workersOf) if (workers.size > 1) doubleLeased.push(`round ${round}: ${record}`);
      expect(workersOf.size).toBeGreaterThan(0);
    }

    expect(doubleLeased).toEqual([]);
  });
});
