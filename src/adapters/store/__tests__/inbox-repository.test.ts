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
