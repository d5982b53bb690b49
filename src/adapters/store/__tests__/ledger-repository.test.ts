import fc from 'fast-check';
import { contact, ledgerEntry, OTHER_PORTAL, PORTAL, recordCommit, T0 } from './support/fixtures';
import { describeEachDialect, type StoreHarness } from './support/store-harness';
import type { LedgerEntry } from '../../../core';

/** Ledger rows enter through commits, as in production; each commit is a new record so no version gets in the way. */
async function append(harness: StoreHarness, entries: LedgerEntry[], commitNo: number, portalId = PORTAL): Promise<void> {
  await harness.store.unitOfWork.commitEvaluations(portalId, [recordCommit(contact(`commit-${commitNo}`), 'lead', { ledger: entries })], [], 'w', T0);
}

const entryArbitrary = fc.record({
  transitionId: fc.constantFrom('t1', 't2', 't3', 't4', 't5', 't6'),
  objectId: fc.constantFrom('c1', 'c2', 'c3'),
  occurredAt: fc.integer({ min: T0, max: T0 + 1_000_000 }),
  toStage: fc.constantFrom('lead', 'mql', 'sql'),
});

describeEachDialect('ledger', (harness) => {
  it('keeps exactly one row per transition id and returns entries in time order, whatever arrives in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(entryArbitrary, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), async (batches) => {
        await harness.reset();
        let commitNo = 0;
        for (const batch of batches)
          await append(
            harness,
            batch.map((e) => ledgerEntry(e.transitionId, e)),
            commitNo++,
          );

        const entries = await harness.store.ledger.entries(PORTAL);

        const firstSeen = new Map<string, LedgerEntry>();
        for (const e of batches.flat()) if (!firstSeen.has(e.transitionId)) firstSeen.set(e.transitionId, ledgerEntry(e.transitionId, e));
        expect(entries.map((e) => e.transitionId).sort()).toEqual([...firstSeen.keys()].sort());
        expect(entries).toEqual(expect.arrayContaining([...firstSeen.values()]));
        const times = entries.map((e) => e.occurredAt);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(await harness.store.ledger.count(PORTAL)).toBe(firstSeen.size);
      }),
      { numRuns: 25 },
    );
  });

  it('lists the portals that have a ledger, each once and in order, and none when the ledger is empty', async () => {
    expect(await harness.store.ledger.portals()).toEqual([]);
    await append(harness, [ledgerEntry('o1')], 1, OTHER_PORTAL);
    for (let n = 2; n < 6; n++) await append(harness, [ledgerEntry(`p${n}`)], n);
    await append(harness, [ledgerEntry('t1')], 6, 7);

    expect(await harness.store.ledger.portals()).toEqual([7, PORTAL, OTHER_PORTAL]);
  });

  it('keeps same-instant moves of one decision in the order they were appended', async () => {
    await append(harness, [ledgerEntry('z-enter', { toStage: 'lead', kind: 'enter' }), ledgerEntry('a-fastpass', { toStage: 'sql', kind: 'fastpass', skipped: ['mql'] })], 1);

    expect((await harness.store.ledger.history(PORTAL, contact('c1'))).map((e) => e.transitionId)).toEqual(['z-enter', 'a-fastpass']);
  });

  it('returns every field as it was recorded', async () => {
    const entry = ledgerEntry('t1', { reasonCode: 'no_response', skipped: ['mql'], evidence: ['deal 9 lost', 'stalled 30d'], source: 'command', actor: 'user-7' });
    await append(harness, [entry], 1);

    expect(await harness.store.ledger.history(PORTAL, contact('c1'))).toEqual([entry]);
  });

  it('filters entries by object type and instant, and never reads another portal', async () => {
    await append(harness, [ledgerEntry('early', { occurredAt: T0 }), ledgerEntry('late', { occurredAt: T0 + 10 }), ledgerEntry('company', { objectType: 'company', occurredAt: T0 })], 1);
    await append(harness, [ledgerEntry('elsewhere')], 2, OTHER_PORTAL);

    expect((await harness.store.ledger.entries(PORTAL, { objectType: 'contact', until: T0 + 5 })).map((e) => e.transitionId)).toEqual(['early']);
    expect(await harness.store.ledger.count(PORTAL)).toBe(3);
    expect(await harness.store.ledger.count(OTHER_PORTAL)).toBe(1);
  });
  it('lists the ids of records with rows once each, in id order, after one id, up to and including another when asked, at most a limit', async () => {
    const row = (id: string, objectType: 'contact' | 'company' = 'contact') => ledgerEntry(`${objectType}-${id}`, { objectId: id, objectType });
    await append(harness, [row('a'), row('b'), ledgerEntry('b-again', { objectId: 'b', occurredAt: T0 + 5 }), row('c'), row('d'), row('e'), row('c', 'company')], 1);
    await append(harness, [row('bb')], 2, OTHER_PORTAL);

    expect(await harness.store.ledger.recordIds(PORTAL, 'contact', null, 10)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await harness.store.ledger.recordIds(PORTAL, 'contact', 'a', 2)).toEqual(['b', 'c']);
    expect(await harness.store.ledger.recordIds(PORTAL, 'contact', 'a', 10, 'd')).toEqual(['b', 'c', 'd']);
    expect(await harness.store.ledger.recordIds(PORTAL, 'contact', null, 10, 'a')).toEqual(['a']);
    expect(await harness.store.ledger.recordIds(PORTAL, 'contact', 'e', 10, null)).toEqual([]);
  });

  it('reads many records of one type at once exactly as it reads each one (ledger order, empty for none), and the last row of each', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(entryArbitrary, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), async (batches) => {
        await harness.reset();
        let commitNo = 0;
        for (const batch of batches)
          await append(
            harness,
            batch.map((e) => ledgerEntry(`${commitNo}-${e.transitionId}`, e)),
            commitNo++,
          );
        // Same-instant rows of one commit keep their appended order; another type and portal are never read.
        await append(harness, [ledgerEntry('company-row', { objectType: 'company', objectId: 'c1' })], commitNo++);
        await append(harness, [ledgerEntry('elsewhere', { objectId: 'c1' })], commitNo++, OTHER_PORTAL);

        const ids = ['c1', 'c2', 'c3', 'c4'];
        const histories = await harness.store.ledger.historiesOf(PORTAL, 'contact', ids);
        const last = await harness.store.ledger.lastEntries(PORTAL, 'contact', ids);
        for (const id of ids) {
          const one = await harness.store.ledger.history(PORTAL, contact(id));
          expect(histories.get(id)).toEqual(one);
          expect(last.get(id)).toEqual(one.at(-1));
        }
        expect([...histories.keys()]).toEqual(ids);
        expect((await harness.store.ledger.lastEntries(PORTAL, 'company', ['c1'])).get('c1')?.transitionId).toBe('company-row');
      }),
      { numRuns: 15 },
    );
  });
});
