import type { RecordCommit } from '../../../app/ports/store-ports';
import { contact, inboxEvent, ledgerEntry, MINUTE, PORTAL, propertyUpdate, recordCommit, stateAt, T0, task } from './support/fixtures';
import { describeEachDialect, type StoreHarness } from './support/store-harness';

const LEASE = 5 * MINUTE;

async function leaseEvents(harness: StoreHarness, objectIds: string[]): Promise<number[]> {
  await harness.store.inbox.insertMany(
    PORTAL,
    objectIds.map((id) => inboxEvent(id, `${id}-event`)),
    T0,
  );
  const claimed = await harness.store.inbox.claim({ workerId: 'w1', limit: 100, leaseMs: LEASE, now: T0 });
  return claimed.map((event) => event.id);
}

function fullCommit(objectId: string, overrides: Partial<RecordCommit> = {}): RecordCommit {
  const key = contact(objectId);
  return recordCommit(key, 'mql', {
    wakeAt: T0 + 7 * 86_400_000,
    newFactEvents: [{ key: `form-${objectId}`, type: 'form_submitted', at: T0 - MINUTE, id: `sub-${objectId}`, attrs: { formKind: 'demo' } }],
    ledger: [ledgerEntry(`${objectId}:enter`, { objectId, fromStage: null, toStage: 'lead', kind: 'enter' }), ledgerEntry(`${objectId}:mql`, { objectId })],
    outbox: [propertyUpdate({ lc_stage: 'mql' }), task(`task-${objectId}`)],
    pause: { until: T0 + 86_400_000, reason: 'recycled' },
    alerts: [{ kind: 'reengagement', message: `${objectId} came back` }],
    ...overrides,
  });
}

describeEachDialect('commitEvaluations', (harness) => {
  const store = () => harness.store;

  it('commits every change of an evaluated record and completes its inbox events', async () => {
    const inboxIds = await leaseEvents(harness, ['c1']);

    const { conflicts } = await store().unitOfWork.commitEvaluations(PORTAL, [fullCommit('c1')], inboxIds, 'w1', T0 + 1);

    expect(conflicts).toEqual([]);
    expect(await store().states.get(PORTAL, contact('c1'))).toEqual({ state: stateAt(contact('c1'), 'mql', T0), version: 1, wakeAt: T0 + 7 * 86_400_000, updatedAt: T0 + 1 });
    expect((await store().ledger.history(PORTAL, contact('c1'))).map((entry) => entry.transitionId)).toEqual(['c1:enter', 'c1:mql']);
    expect((await store().factEvents.getMany(PORTAL, [contact('c1')])).get('contact:c1')).toEqual(fullCommit('c1').newFactEvents);
    expect(await store().outbox.pendingCount(PORTAL)).toBe(2);
    expect(await harness.db.selectFrom('marketing_pauses').select(['paused_until', 'reason', 'released_at']).execute()).toEqual([
      { paused_until: T0 + 86_400_000, reason: 'recycled', released_at: null },
    ]);
    expect(await harness.db.selectFrom('alerts').select(['object_id', 'kind', 'message', 'created_at']).execute()).toEqual([
      { object_id: 'c1', kind: 'reengagement', message: 'c1 came back', created_at: T0 + 1 },
    ]);
    expect(await store().inbox.pendingCount(PORTAL)).toBe(0);
  });

  it('bumps the version on every save and refuses a save based on a stale version', async () => {
    await store().unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('c1'), 'lead')], [], 'w1', T0);
    await store().unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('c1'), 'mql', { expectedVersion: 1 })], [], 'w1', T0 + 1);

    const stale = await store().unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('c1'), 'sql', { expectedVersion: 1 })], [], 'w1', T0 + 2);
    const firstSaveTwice = await store().unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('c1'), 'sql')], [], 'w1', T0 + 2);

    expect(stale.conflicts).toEqual([contact('c1')]);
    expect(firstSaveTwice.conflicts).toEqual([contact('c1')]);
    expect(await store().states.get(PORTAL, contact('c1'))).toMatchObject({ version: 2, state: { stage: 'mql' } });
  });

  it("skips a conflicting record entirely but commits the others, leaving the conflicting record's events leased", async () => {
    await store().unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('taken'), 'lead')], [], 'other-worker', T0);
    const inboxIds = await leaseEvents(harness, ['taken', 'free']);

    const { conflicts } = await store().unitOfWork.commitEvaluations(PORTAL, [fullCommit('taken'), fullCommit('free')], inboxIds, 'w1', T0 + 1);

    expect(conflicts).toEqual([contact('taken')]);
    expect(await store().ledger.history(PORTAL, contact('taken'))).toEqual([]);
    expect((await store().factEvents.getMany(PORTAL, [contact('taken')])).get('contact:taken')).toEqual([]);
    expect(await harness.db.selectFrom('outbox').select('object_id').distinct().execute()).toEqual([{ object_id: 'free' }]);
    expect(await harness.db.selectFrom('alerts').select('object_id').execute()).toEqual([{ object_id: 'free' }]);
    expect(await store().states.get(PORTAL, contact('taken'))).toMatchObject({ version: 1, state: { stage: 'lead' } });
    expect(await store().ledger.count(PORTAL)).toBe(2);
    const inbox = await harness.db.selectFrom('inbox_events').select(['object_id', 'status']).orderBy('object_id').execute();
    expect(inbox).toEqual([
      { object_id: 'free', status: 'done' },
      { object_id: 'taken', status: 'leased' },
    ]);
  });

  it('rolls the whole batch back when a statement fails', async () => {
    const inboxIds = await leaseEvents(harness, ['c1', 'c2']);
    const broken = fullCommit('c2', { ledger: [ledgerEntry('bad', { objectId: 'c2', toStage: null as unknown as string })] });

    // Matched by message, not toThrow(): better-sqlite3's native errors may come from another jest realm's Error.
    await expect(store().unitOfWork.commitEvaluations(PORTAL, [fullCommit('c1'), broken], inboxIds, 'w1', T0 + 1)).rejects.toHaveProperty('message', expect.stringMatching(/null/i));

    expect(await store().states.getMany(PORTAL, [contact('c1'), contact('c2')])).toEqual(new Map());
    expect(await store().ledger.count(PORTAL)).toBe(0);
    expect(await store().outbox.pendingCount(PORTAL)).toBe(0);
    expect(await store().inbox.pendingCount(PORTAL)).toBe(2);
  });

  it('is idempotent: the same commit twice changes nothing the second time', async () => {
    const commit = fullCommit('c1');
    await store().unitOfWork.commitEvaluations(PORTAL, [commit], [], 'w1', T0);
    const ledgerBefore = await store().ledger.entries(PORTAL);

    const again = await store().unitOfWork.commitEvaluations(PORTAL, [commit], [], 'w1', T0 + 1);

    expect(again.conflicts).toEqual([contact('c1')]);
    expect(await store().ledger.entries(PORTAL)).toEqual(ledgerBefore);
    expect(await store().outbox.pendingCount(PORTAL)).toBe(2);
  });

  it('a re-evaluation after a crash re-records nothing: same transitions and facts are not duplicated', async () => {
    await store().unitOfWork.commitEvaluations(PORTAL, [fullCommit('c1')], [], 'w1', T0);

    await store().unitOfWork.commitEvaluations(PORTAL, [fullCommit('c1', { expectedVersion: 1 })], [], 'w2', T0 + 1);

    expect(await store().ledger.count(PORTAL)).toBe(2);
    expect((await store().factEvents.getMany(PORTAL, [contact('c1')])).get('contact:c1')).toHaveLength(1);
    expect(await store().states.get(PORTAL, contact('c1'))).toMatchObject({ version: 2 });
  });

  it('releases a marketing pause', async () => {
    await store().unitOfWork.commitEvaluations(PORTAL, [fullCommit('c1')], [], 'w1', T0);

    await store().unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('c1'), 'mql', { expectedVersion: 1, pause: 'release' })], [], 'w1', T0 + 5);

    expect(await harness.db.selectFrom('marketing_pauses').select(['released_at']).execute()).toEqual([{ released_at: T0 + 5 }]);
  });

  it('saves a batch of first and later saves together, refusing exactly the stale ones, in the order given', async () => {
    await store().unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('old1'), 'lead'), recordCommit(contact('old2'), 'lead')], [], 'w1', T0);

    const { conflicts } = await store().unitOfWork.commitEvaluations(
      PORTAL,
      [
        recordCommit(contact('old2'), 'sql', { expectedVersion: 7 }),
        fullCommit('new1'),
        recordCommit(contact('old1'), 'mql', { expectedVersion: 1, wakeAt: T0 + 9 }),
        recordCommit(contact('old1x'), 'mql', { expectedVersion: 1 }),
        fullCommit('old2'),
        fullCommit('new2'),
      ],
      [],
      'w1',
      T0 + 1,
    );

    expect(conflicts).toEqual([contact('old2'), contact('old1x'), contact('old2')]);
    expect(await store().states.get(PORTAL, contact('old1'))).toEqual({ state: stateAt(contact('old1'), 'mql', T0), version: 2, wakeAt: T0 + 9, updatedAt: T0 + 1 });
    expect(await store().states.get(PORTAL, contact('old2'))).toMatchObject({ version: 1, state: { stage: 'lead' }, updatedAt: T0 });
    expect(await store().states.get(PORTAL, contact('old1x'))).toBeNull();
    for (const id of ['new1', 'new2']) {
      expect(await store().states.get(PORTAL, contact(id))).toMatchObject({ version: 1, wakeAt: T0 + 7 * 86_400_000 });
      expect((await store().ledger.history(PORTAL, contact(id))).map((entry) => entry.transitionId)).toEqual([`${id}:enter`, `${id}:mql`]);
    }
    // Each record's rows keep their position within its own commit, as when committed one at a time.
    expect(await harness.db.selectFrom('ledger').select(['transition_id', 'recorded_position']).orderBy('transition_id').execute()).toEqual([
      { transition_id: 'new1:enter', recorded_position: 0 },
      { transition_id: 'new1:mql', recorded_position: 1 },
      { transition_id: 'new2:enter', recorded_position: 0 },
      { transition_id: 'new2:mql', recorded_position: 1 },
    ]);
    expect(await harness.db.selectFrom('outbox').select(['object_id', 'kind']).orderBy('id').execute()).toEqual([
      { object_id: 'new1', kind: 'update_properties' },
      { object_id: 'new1', kind: 'create_task' },
      { object_id: 'new2', kind: 'update_properties' },
      { object_id: 'new2', kind: 'create_task' },
    ]);
    expect(await harness.db.selectFrom('alerts').select('object_id').orderBy('id').execute()).toEqual([{ object_id: 'new1' }, { object_id: 'new2' }]);
  });

  it('applies two commits of one record in one batch in order: the second sees the first', async () => {
    const { conflicts } = await store().unitOfWork.commitEvaluations(
      PORTAL,
      [
        recordCommit(contact('c1'), 'lead', { ledger: [ledgerEntry('c1:enter', { objectId: 'c1', fromStage: null, toStage: 'lead', kind: 'enter' })] }),
        recordCommit(contact('c2'), 'lead'),
        recordCommit(contact('c1'), 'mql', { expectedVersion: 1, ledger: [ledgerEntry('c1:mql', { objectId: 'c1' })] }),
        recordCommit(contact('c2'), 'sql'),
      ],
      [],
      'w1',
      T0 + 1,
    );

    expect(conflicts).toEqual([contact('c2')]);
    expect(await store().states.get(PORTAL, contact('c1'))).toMatchObject({ version: 2, state: { stage: 'mql' } });
    expect(await store().states.get(PORTAL, contact('c2'))).toMatchObject({ version: 1, state: { stage: 'lead' } });
    expect((await store().ledger.history(PORTAL, contact('c1'))).map((entry) => entry.transitionId)).toEqual(['c1:enter', 'c1:mql']);
  });

  it('commits a batch larger than one statement takes (1,200 records, 2,400 ledger rows)', async () => {
    const ids = Array.from({ length: 1_200 }, (_, i) => `c${i}`);

    const { conflicts } = await store().unitOfWork.commitEvaluations(
      PORTAL,
      ids.map((id) => fullCommit(id)),
      [],
      'w1',
      T0 + 1,
    );

    expect(conflicts).toEqual([]);
    expect((await store().states.getMany(PORTAL, ids.map(contact))).size).toBe(1_200);
    expect(await store().ledger.count(PORTAL)).toBe(2_400);
    expect(await store().outbox.pendingCount(PORTAL)).toBe(2_400);
    expect(
      Number(
        (
          await harness.db
            .selectFrom('fact_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(1_200);
  });

  it('completes only the inbox events the committing worker still holds', async () => {
    const inboxIds = await leaseEvents(harness, ['c1']);

    await store().unitOfWork.commitEvaluations(PORTAL, [fullCommit('c1')], inboxIds, 'not-the-holder', T0 + 1);

    expect(await store().inbox.pendingCount(PORTAL)).toBe(1);
  });
});
