import { contact, OTHER_PORTAL, PORTAL, recordCommit, T0 } from './support/fixtures';
import { describeEachDialect } from './support/store-harness';

describeEachDialect('states and fact events', (harness) => {
  const save = (objectId: string, stage: string, wakeAt: number | null, portalId = PORTAL) =>
    harness.store.unitOfWork.commitEvaluations(portalId, [recordCommit(contact(objectId), stage, { wakeAt })], [], 'w', T0);

  it('reads many states at once, keyed by objectType:objectId, leaving out records without one', async () => {
    await save('c1', 'lead', null);
    await save('c2', 'mql', null);

    const states = await harness.store.states.getMany(PORTAL, [contact('c1'), contact('c2'), contact('unknown')]);

    expect([...states.keys()].sort()).toEqual(['contact:c1', 'contact:c2']);
    expect(states.get('contact:c2')?.state.stage).toBe('mql');
    expect(await harness.store.states.get(PORTAL, contact('unknown'))).toBeNull();
  });

  it('lists records whose wake time has come, earliest first, with that time', async () => {
    await save('later', 'lead', T0 + 20);
    await save('sooner', 'lead', T0 + 10);
    await save('asleep', 'lead', null);
    await save('future', 'lead', T0 + 1_000);
    await save('elsewhere', 'lead', T0, OTHER_PORTAL);

    expect(await harness.store.states.due(PORTAL, T0 + 100, 10)).toEqual([
      { ...contact('sooner'), wakeAt: T0 + 10 },
      { ...contact('later'), wakeAt: T0 + 20 },
    ]);
    expect(await harness.store.states.due(PORTAL, T0 + 100, 1)).toHaveLength(1);
  });

  it('counts records per current stage', async () => {
    await save('a', 'lead', null);
    await save('b', 'lead', null);
    await save('c', 'customer', null);
    await save('d', 'lead', null, OTHER_PORTAL);

    expect(await harness.store.states.countByStage(PORTAL, 'contact')).toEqual(
      new Map([
        ['lead', 2],
        ['customer', 1],
      ]),
    );
    expect(await harness.store.states.countByStage(PORTAL, 'company')).toEqual(new Map());
  });

  it("keeps a record's fact events once per key, in time order, and gives every asked record an entry", async () => {
    const later = { key: 'page-1', type: 'page_viewed' as const, at: T0 + 5 };
    const earlier = { key: 'deal-9', type: 'deal_created' as const, at: T0, id: '9', attrs: { dealType: 'newbusiness', amount: 1200, won: false, note: null } };
    await harness.store.unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('c1'), 'lead', { newFactEvents: [later, earlier, later] })], [], 'w', T0);

    const events = await harness.store.factEvents.getMany(PORTAL, [contact('c1'), contact('c2')]);

    expect(events).toEqual(
      new Map([
        ['contact:c1', [earlier, later]],
        ['contact:c2', []],
      ]),
    );
  });
});

describeEachDialect('cursors', (harness) => {
  it('returns nothing for an unknown cursor and the last value once set', async () => {
    expect(await harness.store.cursors.get(PORTAL, 'backfill')).toBeNull();

    await harness.store.cursors.set(PORTAL, 'backfill', 'after=100', T0);
    await harness.store.cursors.set(PORTAL, 'backfill', 'after=200', T0 + 1);

    expect(await harness.store.cursors.get(PORTAL, 'backfill')).toEqual({ name: 'backfill', value: 'after=200', updatedAt: T0 + 1 });
    expect(await harness.store.cursors.get(OTHER_PORTAL, 'backfill')).toBeNull();
  });
});
