import type { RecordKey } from '../../../app/ports/store-ports';
import { contact, inboxEvent, ledgerEntry, MINUTE, PORTAL, propertyUpdate, recordCommit, stateAt, T0, task } from './support/fixtures';
import { describeEachDialect, type StoreHarness } from './support/store-harness';

const RECORD_TABLES = ['inbox_events', 'lifecycle_states', 'fact_events', 'record_properties', 'ledger', 'outbox', 'marketing_pauses', 'alerts', 'dead_letters'] as const;

/** Gives a record a row in every table that can hold one. */
async function populate(harness: StoreHarness, key: RecordKey, enteredAt = T0): Promise<void> {
  const { store } = harness;
  await store.inbox.insertMany(PORTAL, [inboxEvent(key.objectId, `${key.objectId}-1`), inboxEvent(key.objectId, `${key.objectId}-2`)], T0);
  const events = await store.inbox.claim({ workerId: 'w', limit: 100, leaseMs: MINUTE, now: T0 });
  const mine = events.filter((event) => event.objectId === key.objectId);
  await store.inbox.deadLetter(PORTAL, [mine[0]!.id], 'w', 'poison', T0);
  await store.unitOfWork.commitEvaluations(
    PORTAL,
    [
      recordCommit(key, 'lead', {
        newFactEvents: [
          { key: `shared-form`, type: 'form_submitted', at: T0 },
          { key: `own-${key.objectId}`, type: 'page_viewed', at: T0 + 1 },
        ],
        properties: [{ property: 'jobtitle', value: `title of ${key.objectId}`, setAt: T0, observedAt: T0 - 1 }],
        ledger: [ledgerEntry(`${key.objectId}:enter`, { objectId: key.objectId, occurredAt: enteredAt })],
        outbox: [propertyUpdate({ lc_stage: 'lead' }), task(`t-${key.objectId}`)],
        pause: { until: T0 + 1000, reason: 'recycled' },
        alerts: [{ kind: 'reengagement', message: 'back' }],
      }),
    ],
    [mine[1]!.id],
    'w',
    T0,
  );
}

async function rowsOf(harness: StoreHarness, key: RecordKey): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of RECORD_TABLES) {
    const rows = await harness.db.selectFrom(table).select('portal_id').where('object_type', '=', key.objectType).where('object_id', '=', key.objectId).execute();
    counts[table] = rows.length;
  }
  return counts;
}

const NO_ROWS = Object.fromEntries(RECORD_TABLES.map((table) => [table, 0]));

describeEachDialect('purge and merge', (harness) => {
  it('purging a record deletes its rows from every table and nothing of other records', async () => {
    await populate(harness, contact('gone'));
    await populate(harness, contact('kept'));
    const keptBefore = await rowsOf(harness, contact('kept'));
    expect(Object.values(keptBefore).every((count) => count > 0)).toBe(true);

    await harness.store.purgeRecord(PORTAL, contact('gone'), T0 + 5);

    expect(await rowsOf(harness, contact('gone'))).toEqual(NO_ROWS);
    expect(await rowsOf(harness, contact('kept'))).toEqual(keptBefore);
  });

  it("purging a contact redacts its id from the company ledger rows and company state that name it, in the same purge, and leaves other contacts' rows as they were", async () => {
    const company = { objectType: 'company' as const, objectId: 'acme' };
    const companyRow = (id: string, contactId: string, occurredAt: number) =>
      ledgerEntry(id, { objectType: 'company', objectId: 'acme', ruleId: 'account', reason: `Contact ${contactId} moved to MQL`, evidence: [`contact:${contactId}`], occurredAt });
    const recycled = { ...stateAt(company, 'mql', T0), lastRecycle: { ruleId: 'account', reason: 'Contact gone moved to Recycled', at: T0, fromStage: 'sql', lostDealId: null } };
    const ledger = [companyRow('acme:1', 'gone', T0), companyRow('acme:2', 'kept', T0 + 1)];
    await harness.store.unitOfWork.commitEvaluations(PORTAL, [recordCommit(company, 'mql', { state: recycled, ledger })], [], 'w', T0);
    const versionBefore = (await harness.store.states.get(PORTAL, company))!.version;

    await harness.store.purgeRecord(PORTAL, contact('gone'), T0 + 5);

    const rows = await harness.store.ledger.history(PORTAL, company);
    expect(rows.map((r) => [r.transitionId, r.reason, r.evidence])).toEqual([
      ['acme:1', 'A contact (erased) moved to MQL', ['contact:(erased)']],
      ['acme:2', 'Contact kept moved to MQL', ['contact:kept']],
    ]);
    const state = (await harness.store.states.get(PORTAL, company))!;
    expect(state.state.lastRecycle?.reason).toBe('A contact (erased) moved to Recycled');
    expect(state.version).toBe(versionBefore + 1);
  });

  it('a purged record is remembered by key only, and events that arrive for it afterwards are not stored', async () => {
    await populate(harness, contact('erased'));
    await harness.store.purgeRecord(PORTAL, contact('erased'), T0 + 5);
    await harness.store.purgeRecord(PORTAL, contact('erased'), T0 + 6); // a redelivered privacy event: no error

    expect(await harness.store.erasedRecords(PORTAL, [contact('erased'), contact('still-here')])).toEqual(new Set(['contact:erased']));
    expect(await harness.store.erasedRecords(PORTAL + 1, [contact('erased')])).toEqual(new Set());
    const stored = await harness.store.inbox.insertMany(PORTAL, [inboxEvent('erased', 'erased-late-retry'), inboxEvent('still-here', 'still-here-news')], T0 + 10);
    expect(stored).toBe(1);
    expect(await rowsOf(harness, contact('erased'))).toEqual(NO_ROWS);
    expect((await rowsOf(harness, contact('still-here'))).inbox_events).toBe(1);
  });

  it("merging moves the losers' ledger, facts and property values to the winner, keeping transition ids, and drops the losers' states", async () => {
    await populate(harness, contact('winner'), T0 + 10);
    await populate(harness, contact('loser'), T0);

    await harness.store.mergeRecords(PORTAL, 'contact', 'winner', ['loser', 'winner'], T0 + 50);

    expect((await harness.store.ledger.history(PORTAL, contact('winner'))).map((e) => [e.transitionId, e.objectId])).toEqual([
      ['loser:enter', 'winner'],
      ['winner:enter', 'winner'],
    ]);
    const merged = await harness.db.selectFrom('ledger').select('merged_from_object_id').where('transition_id', '=', 'loser:enter').executeTakeFirstOrThrow();
    expect(merged.merged_from_object_id).toBe('loser');
    const facts = (await harness.store.factEvents.getMany(PORTAL, [contact('winner')])).get('contact:winner') ?? [];
    expect(facts.map((event) => event.key).sort()).toEqual(['own-loser', 'own-winner', 'shared-form']);
    expect(await harness.store.states.get(PORTAL, contact('loser'))).toBeNull();
    expect(await rowsOf(harness, contact('loser'))).toMatchObject({ lifecycle_states: 0, ledger: 0, fact_events: 0, record_properties: 0 });
    // Both had the property: the winner's value is the one HubSpot keeps.
    expect((await harness.store.recordProperties.getMany(PORTAL, [contact('winner')])).get('contact:winner')).toEqual([
      { property: 'jobtitle', value: 'title of winner', setAt: T0, observedAt: T0 - 1 },
    ]);
  });

  it('merging invalidates evaluations of the winner that started before it and wakes the winner now', async () => {
    await populate(harness, contact('winner'));
    await populate(harness, contact('loser'));

    await harness.store.mergeRecords(PORTAL, 'contact', 'winner', ['loser'], T0 + 50);

    expect(await harness.store.states.get(PORTAL, contact('winner'))).toMatchObject({ version: 2, wakeAt: T0 + 50 });
    const stale = await harness.store.unitOfWork.commitEvaluations(PORTAL, [recordCommit(contact('winner'), 'mql', { expectedVersion: 1 })], [], 'w', T0 + 51);
    expect(stale.conflicts).toEqual([contact('winner')]);
  });
});
