import type { InboxEventInput } from '../../../app/ports/store-ports';
import { InboxRepository } from '../inbox-repository';
import { inboxEvent, MINUTE, OTHER_PORTAL, PORTAL, T0 } from './support/fixtures';
import { describeEachDialect } from './support/store-harness';

const LEASE = 5 * MINUTE;

describeEachDialect('inbox', (harness) => {
  const inbox = () => harness.store.inbox;

  it('stores an event once however often HubSpot delivers it', async () => {
    const first = await inbox().insertMany(PORTAL, [inboxEvent('c1', 'k1'), inboxEvent('c1', 'k1'), inboxEvent('c2', 'k2')], T0);
    const retry = await inbox().insertMany(PORTAL, [inboxEvent('c1', 'k1'), inboxEvent('c2', 'k2')], T0 + MINUTE);

    expect(first).toBe(2);
    expect(retry).toBe(0);
    expect(await inbox().pendingCount(PORTAL)).toBe(2);
  });

  describe('group commit: concurrent deliveries share one transaction', () => {
    /** A repository over the harness's database that reports each group it commits. */
    const grouped = (options: { maxGroupEvents?: number } = {}) => {
      const groups: Array<{ deliveries: number; events: number }> = [];
      return { inbox: new InboxRepository(harness.db, harness.dialect, { ...options, onGroupCommitted: ({ deliveries, events }) => groups.push({ deliveries, events }) }), groups };
    };
    const delivery = (name: string, size: number): InboxEventInput[] => Array.from({ length: size }, (_, i) => inboxEvent(`${name}-${i}`, `${name}-k${i}`));

    it('commits calls made while no group is running in one transaction, and answers each with its own stored count once committed', async () => {
      const { inbox: repo, groups } = grouped();
      const calls = [delivery('a', 100), delivery('b', 100), [...delivery('a', 10), ...delivery('c', 5)], delivery('d', 1)];

      const stored = await Promise.all(calls.map((events, i) => repo.insertMany(i % 2 === 0 ? PORTAL : OTHER_PORTAL, events, T0)));

      // The third call repeats ten of the first call's keys in the same portal: duplicates even inside one group.
      expect(stored).toEqual([100, 100, 5, 1]);
      expect(groups).toEqual([{ deliveries: 4, events: 216 }]);
      expect(await inbox().pendingCount(PORTAL)).toBe(105);
      expect(await inbox().pendingCount(OTHER_PORTAL)).toBe(101);
    });

    it('writes calls that arrive after a group has started in a later group, together', async () => {
      const { inbox: repo, groups } = grouped();
      const answered: string[] = [];
      const first = repo.insertMany(PORTAL, delivery('first', 50), T0).then((n) => answered.push(`first:${n}`));
      // Queued while the first group is being committed (after the event loop turn that started it).
      await new Promise((resolve) => setImmediate(resolve));
      const late = [repo.insertMany(PORTAL, delivery('late1', 20), T0), repo.insertMany(PORTAL, delivery('late2', 30), T0)].map((p, i) => p.then((n) => answered.push(`late${i + 1}:${n}`)));

      await Promise.all([first, ...late]);

      expect(answered.sort()).toEqual(['first:50', 'late1:20', 'late2:30']);
      expect(groups.map((g) => g.deliveries).reduce((a, b) => a + b, 0)).toBe(3);
      expect(groups.at(-1)).toEqual({ deliveries: 2, events: 50 });
      expect(await inbox().pendingCount(PORTAL)).toBe(100);
    });

    it('splits a burst into groups of at most maxGroupEvents events', async () => {
      const { inbox: repo, groups } = grouped({ maxGroupEvents: 250 });

      const stored = await Promise.all(Array.from({ length: 6 }, (_, i) => repo.insertMany(PORTAL, delivery(`d${i}`, 100), T0)));

      expect(stored).toEqual([100, 100, 100, 100, 100, 100]);
      expect(groups).toEqual([
        { deliveries: 2, events: 200 },
        { deliveries: 2, events: 200 },
        { deliveries: 2, events: 200 },
      ]);
    });

    it('by default commits a burst of 50 deliveries of 100 events in groups of at most 20 deliveries', async () => {
      const { inbox: repo, groups } = grouped();

      const stored = await Promise.all(Array.from({ length: 50 }, (_, i) => repo.insertMany(PORTAL, delivery(`burst${i}`, 100), T0)));

      expect(stored.every((n) => n === 100)).toBe(true);
      expect(groups.map((g) => g.deliveries)).toEqual([20, 20, 10]);
      expect(await inbox().pendingCount(PORTAL)).toBe(5_000);
    });

    it('fails every member of a group whose transaction fails, and stores nothing of any of them', async () => {
      const { inbox: repo, groups } = grouped();
      // One member carries a row the database refuses (a NOT NULL column left empty): the whole group rolls back.
      const refused = [...delivery('bad', 3), inboxEvent('bad-x', 'bad-kx', { subscriptionType: null as unknown as string })];

      const outcomes = await Promise.allSettled([
        repo.insertMany(PORTAL, delivery('ok1', 40), T0),
        repo.insertMany(PORTAL, refused, T0),
        repo.insertMany(OTHER_PORTAL, delivery('ok2', 40), T0),
      ]);

      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(groups).toEqual([]);
      expect(await inbox().pendingCount()).toBe(0);
      // HubSpot retries each delivery; the good ones are stored whole, exactly once.
      expect(await repo.insertMany(PORTAL, delivery('ok1', 40), T0 + MINUTE)).toBe(40);
      expect(await repo.insertMany(OTHER_PORTAL, delivery('ok2', 40), T0 + MINUTE)).toBe(40);
      expect(await inbox().pendingCount()).toBe(80);
    });

    it('deduplicates across groups: a retry in a later group stores nothing again, beside new events that are stored', async () => {
      const { inbox: repo } = grouped();
      await Promise.all([repo.insertMany(PORTAL, delivery('x', 30), T0), repo.insertMany(PORTAL, delivery('y', 30), T0)]);

      const stored = await Promise.all([
        repo.insertMany(PORTAL, delivery('x', 30), T0 + MINUTE),
        repo.insertMany(PORTAL, [...delivery('y', 30), ...delivery('z', 10)], T0 + MINUTE),
        repo.insertMany(OTHER_PORTAL, delivery('x', 30), T0 + MINUTE),
      ]);

      expect(stored).toEqual([0, 10, 30]);
      expect(await inbox().pendingCount(PORTAL)).toBe(70);
    });

    it('with group commit off, each call is its own transaction', async () => {
      const repo = new InboxRepository(harness.db, harness.dialect, { groupCommit: false });
      const refused = [inboxEvent('bad-x', 'bad-kx', { subscriptionType: null as unknown as string })];

      const outcomes = await Promise.allSettled([repo.insertMany(PORTAL, delivery('solo', 10), T0), repo.insertMany(PORTAL, refused, T0)]);

      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
      expect(await inbox().pendingCount(PORTAL)).toBe(10);
    });
  });

  it('deduplicates per portal: the same key in another portal is another event', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('c1', 'k1')], T0);
    expect(await inbox().insertMany(OTHER_PORTAL, [inboxEvent('c1', 'k1')], T0)).toBe(1);
    expect(await inbox().pendingCount()).toBe(2);
  });

  it('claims all pending events of a record together, oldest record first, up to `limit` records', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a1'), inboxEvent('b', 'b1'), inboxEvent('c', 'c1'), inboxEvent('a', 'a2')], T0);

    const claimed = await inbox().claim({ workerId: 'w1', limit: 2, leaseMs: LEASE, now: T0 });

    expect(claimed.map((event) => event.dedupKey)).toEqual(['a1', 'b1', 'a2']);
    expect(claimed.every((event) => event.portalId === PORTAL && event.attempts === 1 && event.receivedAt === T0)).toBe(true);
    expect(claimed[0]).toMatchObject(inboxEvent('a', 'a1'));
  });

  it('hands a leased event to nobody else until the lease runs out', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a1')], T0);
    await inbox().claim({ workerId: 'w1', limit: 10, leaseMs: LEASE, now: T0 });

    expect(await inbox().claim({ workerId: 'w2', limit: 10, leaseMs: LEASE, now: T0 + LEASE - 1 })).toEqual([]);
    const reclaimed = await inbox().claim({ workerId: 'w2', limit: 10, leaseMs: LEASE, now: T0 + LEASE });
    expect(reclaimed.map((event) => [event.dedupKey, event.attempts])).toEqual([['a1', 2]]);
  });

  it('keeps new events of a record another worker is processing until that worker is done', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a1')], T0);
    const [held] = await inbox().claim({ workerId: 'w1', limit: 10, leaseMs: LEASE, now: T0 });
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a2'), inboxEvent('b', 'b1')], T0 + 1);

    const meanwhile = await inbox().claim({ workerId: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 2 });
    await inbox().complete(PORTAL, [held!.id], 'w1', T0 + 3);
    const afterwards = await inbox().claim({ workerId: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 4 });

    expect(meanwhile.map((event) => event.dedupKey)).toEqual(['b1']);
    expect(afterwards.map((event) => event.dedupKey)).toEqual(['a2']);
  });

  it('never hands the same event to two workers claiming at the same time', async () => {
    const records = Array.from({ length: 40 }, (_, i) => `r${i}`);
    await inbox().insertMany(
      PORTAL,
      records.flatMap((id) => [inboxEvent(id, `${id}-1`), inboxEvent(id, `${id}-2`)]),
      T0,
    );
    // PostgreSQL: two stores = two pools, as two instances would be. SQLite: one store per process (see store.ts).
    const second = harness.dialect === 'postgres' ? await harness.openAnother() : harness.store;

    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? harness.store : second).inbox.claim({ workerId: `w${i}`, limit: 5, leaseMs: LEASE, now: T0 })));

    const ids = claims.flat().map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const recordsPerWorker = claims.map((claim) => new Set(claim.map((event) => event.objectId)));
    const allRecords = recordsPerWorker.flatMap((set) => [...set]);
    expect(new Set(allRecords).size).toBe(allRecords.length);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('completes only for the lease holder', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a1')], T0);
    const [event] = await inbox().claim({ workerId: 'w1', limit: 10, leaseMs: LEASE, now: T0 });

    await inbox().complete(PORTAL, [event!.id], 'intruder', T0 + 1);
    expect(await inbox().pendingCount(PORTAL)).toBe(1);

    await inbox().complete(PORTAL, [event!.id], 'w1', T0 + 1);
    expect(await inbox().pendingCount(PORTAL)).toBe(0);
  });

  it('ignores a late completion from a worker whose lease was taken over', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a1')], T0);
    const [event] = await inbox().claim({ workerId: 'slow', limit: 10, leaseMs: LEASE, now: T0 });
    await inbox().claim({ workerId: 'fast', limit: 10, leaseMs: LEASE, now: T0 + LEASE });

    await inbox().complete(PORTAL, [event!.id], 'slow', T0 + LEASE + 1);

    const row = await harness.db.selectFrom('inbox_events').select(['status', 'lease_owner']).where('id', '=', event!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'leased', lease_owner: 'fast' });
  });

  it('release schedules a retry: not claimable before retryAt, claimable from then on', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a1')], T0);
    const [event] = await inbox().claim({ workerId: 'w1', limit: 10, leaseMs: LEASE, now: T0 });

    await inbox().release(PORTAL, [event!.id], 'w1', T0 + 10 * MINUTE, 'HubSpot 503');

    expect(await inbox().claim({ workerId: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 10 * MINUTE - 1 })).toEqual([]);
    const retried = await inbox().claim({ workerId: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 10 * MINUTE });
    expect(retried.map((e) => [e.id, e.attempts])).toEqual([[event!.id, 2]]);
    const row = await harness.db.selectFrom('inbox_events').select('last_error').where('id', '=', event!.id).executeTakeFirstOrThrow();
    expect(row.last_error).toBe('HubSpot 503');
  });

  it('release by a non-holder changes nothing', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a1')], T0);
    const [event] = await inbox().claim({ workerId: 'w1', limit: 10, leaseMs: LEASE, now: T0 });

    await inbox().release(PORTAL, [event!.id], 'intruder', T0, 'nope');

    const row = await harness.db.selectFrom('inbox_events').select(['status', 'lease_owner']).where('id', '=', event!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'leased', lease_owner: 'w1' });
  });

  it('dead-letters a poisoned event, and a retry puts it back in the queue due now', async () => {
    await inbox().insertMany(PORTAL, [inboxEvent('a', 'a1')], T0);
    const [event] = await inbox().claim({ workerId: 'w1', limit: 10, leaseMs: LEASE, now: T0 });

    await inbox().deadLetter(PORTAL, [event!.id], 'w1', 'unparseable payload', T0 + 1);

    expect(await inbox().pendingCount(PORTAL)).toBe(0);
    const [letter] = await harness.store.deadLetters.list(PORTAL);
    expect(letter).toMatchObject({
      source: 'inbox',
      refId: event!.id,
      objectType: 'contact',
      objectId: 'a',
      reason: 'unparseable payload',
      payload: event!.payload,
      failedAt: T0 + 1,
      retriedAt: null,
    });

    expect(await harness.store.deadLetters.retry(PORTAL, letter!.id, T0 + 2)).toBe(true);

    const [again] = await inbox().claim({ workerId: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 2 });
    expect(again).toMatchObject({ id: event!.id, attempts: 1 });
    expect(await harness.store.deadLetters.list(PORTAL)).toEqual([]);
    expect(await harness.store.deadLetters.list(PORTAL, { includeRetried: true })).toEqual([expect.objectContaining({ id: letter!.id, retriedAt: T0 + 2 })]);
    expect(await harness.store.deadLetters.retry(PORTAL, letter!.id, T0 + 3)).toBe(false);
  });
});
