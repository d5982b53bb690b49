import type { OutboxPayload, RecordKey } from '../../../app/ports/store-ports';
import { contact, MINUTE, OTHER_PORTAL, PORTAL, propertyUpdate, recordCommit, T0, task } from './support/fixtures';
import { describeEachDialect, type StoreHarness } from './support/store-harness';

const LEASE = 5 * MINUTE;
const updates = { kind: 'update_properties' as const, workerId: 'w1', limit: 10, leaseMs: LEASE };

/** Outbox items enter the way the worker creates them: inside a commit. */
async function enqueue(harness: StoreHarness, key: RecordKey, outbox: OutboxPayload[], now = T0, portalId = PORTAL): Promise<void> {
  const current = await harness.store.states.get(portalId, key);
  await harness.store.unitOfWork.commitEvaluations(portalId, [recordCommit(key, 'lead', { expectedVersion: current?.version ?? null, outbox })], [], 'w', now);
}

describeEachDialect('outbox', (harness) => {
  const outbox = () => harness.store.outbox;

  it("coalesces a record's updates: one item claimed, carrying the newest values and every property", async () => {
    await enqueue(harness, contact('c1'), [propertyUpdate({ lc_stage: 'lead', lc_source: 'form' })]);
    await enqueue(harness, contact('c1'), [propertyUpdate({ lc_stage: 'mql' })], T0 + 1);
    await enqueue(harness, contact('c1'), [propertyUpdate({ lc_stage: 'sql' })], T0 + 2);

    const claimed = await outbox().claim(PORTAL, { ...updates, now: T0 + 3 });

    expect(claimed).toHaveLength(1);
    expect(claimed[0]!.payload).toEqual(propertyUpdate({ lc_stage: 'sql', lc_source: 'form' }));
    expect(claimed[0]!.createdAt).toBe(T0 + 2);
    const statuses = await harness.db.selectFrom('outbox').select('status').orderBy('id').execute();
    expect(statuses.map((row) => row.status)).toEqual(['superseded', 'superseded', 'leased']);
    expect(await outbox().pendingCount(PORTAL)).toBe(1);
  });

  it('coalesces several records in one claim, each to its own latest values, and marks what each item was superseded by', async () => {
    await enqueue(harness, contact('a'), [propertyUpdate({ lc_stage: 'lead', lc_source: 'form' })]);
    await enqueue(harness, contact('b'), [propertyUpdate({ lc_stage: 'lead' }, { value: 'lead', clearFirst: true })]);
    await enqueue(harness, contact('c'), [propertyUpdate({ lc_stage: 'mql' })]);
    await enqueue(harness, contact('a'), [propertyUpdate({ lc_stage: 'mql' })], T0 + 1);
    await enqueue(harness, contact('b'), [propertyUpdate({ lc_stage: 'sql' }, { value: 'salesqualifiedlead', clearFirst: false })], T0 + 1);
    await enqueue(harness, contact('a'), [propertyUpdate({ lc_stage: 'sql' })], T0 + 2);

    const claimed = await outbox().claim(PORTAL, { ...updates, now: T0 + 3 });

    expect(claimed.map((item) => [item.objectId, item.payload, item.step, item.attempts])).toEqual([
      ['a', propertyUpdate({ lc_stage: 'sql', lc_source: 'form' }), null, 1],
      ['b', propertyUpdate({ lc_stage: 'sql' }, { value: 'salesqualifiedlead', clearFirst: true }), 'clear', 1],
      ['c', propertyUpdate({ lc_stage: 'mql' }), null, 1],
    ]);
    const rows = await harness.db.selectFrom('outbox').select(['id', 'object_id', 'status', 'last_error', 'lease_owner']).orderBy('id').execute();
    const idOf = (objectId: string) => rows.filter((row) => row.object_id === objectId).at(-1)!.id;
    expect(rows.map(({ object_id, status, last_error, lease_owner }) => ({ object_id, status, last_error, lease_owner }))).toEqual([
      { object_id: 'a', status: 'superseded', last_error: `superseded by ${idOf('a')}`, lease_owner: null },
      { object_id: 'b', status: 'superseded', last_error: `superseded by ${idOf('b')}`, lease_owner: null },
      { object_id: 'c', status: 'leased', last_error: null, lease_owner: 'w1' },
      { object_id: 'a', status: 'superseded', last_error: `superseded by ${idOf('a')}`, lease_owner: null },
      { object_id: 'b', status: 'leased', last_error: null, lease_owner: 'w1' },
      { object_id: 'a', status: 'leased', last_error: null, lease_owner: 'w1' },
    ]);
  });

  it('finds free records behind more due items of a leased record than one look-ahead page holds', async () => {
    await enqueue(harness, contact('held'), [propertyUpdate({ lc_stage: 'lead' })]);
    expect(await outbox().claim(PORTAL, { ...updates, now: T0 })).toHaveLength(1);
    for (let i = 1; i <= 6; i++) await enqueue(harness, contact('held'), [propertyUpdate({ lc_stage: `s${i}` })], T0 + i);
    await enqueue(harness, contact('free'), [propertyUpdate({ lc_stage: 'mql' })], T0 + 7);

    // limit 1: a page is 4 due items, all of them the held record's
    const claimed = await outbox().claim(PORTAL, { ...updates, limit: 1, workerId: 'w2', now: T0 + 8 });

    expect(claimed.map((item) => [item.objectId, item.payload])).toEqual([['free', propertyUpdate({ lc_stage: 'mql' })]]);
  });

  it('claims at most one item per record, oldest records first, only of the asked kind', async () => {
    await enqueue(harness, contact('b'), [propertyUpdate({ x: '1' }), task('t-b')]);
    await enqueue(harness, contact('a'), [propertyUpdate({ x: '2' })], T0 + 1);

    const properties = await outbox().claim(PORTAL, { ...updates, now: T0 + 2 });
    const tasks = await outbox().claim(PORTAL, { ...updates, kind: 'create_task', now: T0 + 2 });

    expect(properties.map((item) => item.objectId)).toEqual(['b', 'a']);
    expect(tasks.map((item) => item.payload)).toEqual([task('t-b')]);
  });

  it("delivers a record's tasks one claim at a time, oldest first — tasks are never folded together", async () => {
    await enqueue(harness, contact('c1'), [task('t1'), task('t2')]);

    const first = await outbox().claim(PORTAL, { ...updates, kind: 'create_task', now: T0 });
    await outbox().markDone(
      PORTAL,
      first.map((item) => item.id),
      T0 + 1,
    );
    const second = await outbox().claim(PORTAL, { ...updates, kind: 'create_task', now: T0 + 2 });

    expect(first.map((item) => item.payload)).toEqual([task('t1')]);
    expect(second.map((item) => item.payload)).toEqual([task('t2')]);
  });

  it('does not start a second write of a record while one is in flight', async () => {
    await enqueue(harness, contact('c1'), [propertyUpdate({ x: '1' })]);
    const [inFlight] = await outbox().claim(PORTAL, { ...updates, now: T0 });
    await enqueue(harness, contact('c1'), [propertyUpdate({ x: '2' })], T0 + 1);

    expect(await outbox().claim(PORTAL, { ...updates, workerId: 'w2', now: T0 + 2 })).toEqual([]);
    await outbox().markDone(PORTAL, [inFlight!.id], T0 + 3);
    const next = await outbox().claim(PORTAL, { ...updates, workerId: 'w2', now: T0 + 4 });
    expect(next.map((item) => item.payload)).toEqual([propertyUpdate({ x: '2' })]);
  });

  it('re-offers an item whose lease ran out', async () => {
    await enqueue(harness, contact('c1'), [propertyUpdate({ x: '1' })]);
    await outbox().claim(PORTAL, { ...updates, now: T0 });

    expect(await outbox().claim(PORTAL, { ...updates, workerId: 'w2', now: T0 + LEASE - 1 })).toEqual([]);
    const [again] = await outbox().claim(PORTAL, { ...updates, workerId: 'w2', now: T0 + LEASE });
    expect(again?.attempts).toBe(2);
  });

  it('retryLater holds an item back until its time and keeps the error', async () => {
    await enqueue(harness, contact('c1'), [propertyUpdate({ x: '1' })]);
    const [item] = await outbox().claim(PORTAL, { ...updates, now: T0 });

    await outbox().retryLater(PORTAL, [item!.id], T0 + 10 * MINUTE, '429 Too Many Requests', T0 + 1);

    expect(await outbox().portalsWithWork(T0 + 10 * MINUTE - 1)).toEqual([]);
    expect(await outbox().portalsWithWork(T0 + 10 * MINUTE)).toEqual([PORTAL]);
    const [retried] = await outbox().claim(PORTAL, { ...updates, now: T0 + 10 * MINUTE });
    expect(retried).toMatchObject({ id: item!.id, lastError: '429 Too Many Requests', nextAttemptAt: T0 + 10 * MINUTE, attempts: 2 });
  });

  it('lists the portals with deliverable work', async () => {
    await enqueue(harness, contact('c1'), [propertyUpdate({ x: '1' })], T0, OTHER_PORTAL);
    await enqueue(harness, contact('c1'), [task('t')], T0, PORTAL);

    expect(await outbox().portalsWithWork(T0)).toEqual([PORTAL, OTHER_PORTAL]);
  });

  it("persists a clear-then-set move's progress: after a restart the item resumes at `set`", async () => {
    await enqueue(harness, contact('c1'), [propertyUpdate({}, { value: 'lead', clearFirst: true })]);
    const [item] = await outbox().claim(PORTAL, { ...updates, now: T0 });
    expect(item!.step).toBe('clear');

    await outbox().advanceStep(PORTAL, item!.id, 'set', T0 + 1);
    const reopened = await harness.reopen();

    const [resumed] = await reopened.outbox.claim(PORTAL, { ...updates, workerId: 'after-restart', now: T0 + LEASE });
    expect(resumed).toMatchObject({ id: item!.id, step: 'set', payload: propertyUpdate({}, { value: 'lead', clearFirst: true }) });
  });

  it('dead-letters an undeliverable item; a retry queues it again due now', async () => {
    await enqueue(harness, contact('c1'), [task('t1')]);
    const [item] = await outbox().claim(PORTAL, { ...updates, kind: 'create_task', now: T0 });

    await outbox().deadLetter(PORTAL, [item!.id], 'owner does not exist', T0 + 1);

    expect(await outbox().pendingCount(PORTAL)).toBe(0);
    const [letter] = await harness.store.deadLetters.list(PORTAL);
    expect(letter).toMatchObject({ source: 'outbox', refId: item!.id, objectId: 'c1', reason: 'owner does not exist' });
    expect(JSON.parse(letter!.payload)).toEqual(task('t1'));

    expect(await harness.store.deadLetters.retry(PORTAL, letter!.id, T0 + 2)).toBe(true);
    const [again] = await outbox().claim(PORTAL, { ...updates, kind: 'create_task', now: T0 + 2 });
    expect(again).toMatchObject({ id: item!.id, attempts: 1 });
  });
});
