import type { FactEvent } from '../../../core';
import { contact, MINUTE, OTHER_PORTAL, PORTAL, recordCommit, T0 } from './support/fixtures';
import { describeEachDialect, type StoreHarness } from './support/store-harness';

type Keyed = FactEvent & { key: string };

async function save(harness: StoreHarness, portalId: number, objectId: string, events: Keyed[], objectType: 'contact' | 'company' = 'contact') {
  await harness.store.unitOfWork.commitEvaluations(portalId, [recordCommit({ objectType, objectId }, 'lead', { newFactEvents: events })], [], 'w', T0);
}

describeEachDialect('fact events read by id range', (harness) => {
  it("hold the records after one id up to and including another, each one's events in time order (ties by key), for that portal and object type only", async () => {
    await save(harness, PORTAL, 'a', [{ key: 'a1', type: 'page_viewed', at: T0 }]);
    await save(harness, PORTAL, 'b', [
      { key: 'b2', type: 'form_submitted', at: T0 + 2 * MINUTE, id: 'sub-9', attrs: { formKind: 'demo_request', formName: 'Demo' } },
      { key: 'b1', type: 'email_clicked', at: T0 },
      { key: 'b0', type: 'page_viewed', at: T0 + 2 * MINUTE },
    ]);
    await save(harness, PORTAL, 'c', [{ key: 'c1', type: 'meeting_booked', at: T0 }]);
    await save(harness, PORTAL, 'd', [{ key: 'd1', type: 'page_viewed', at: T0 }]);
    await save(harness, OTHER_PORTAL, 'b', [{ key: 'elsewhere', type: 'page_viewed', at: T0 }]);
    await save(harness, PORTAL, 'b', [{ key: 'company-event', type: 'page_viewed', at: T0 }], 'company');

    const range = await harness.store.factEvents.inIdRange(PORTAL, 'contact', { after: 'a', last: 'c' });

    expect([...range.keys()]).toEqual(['b', 'c']);
    expect(range.get('b')).toEqual([
      { key: 'b1', type: 'email_clicked', at: T0 },
      { key: 'b0', type: 'page_viewed', at: T0 + 2 * MINUTE },
      { key: 'b2', type: 'form_submitted', at: T0 + 2 * MINUTE, id: 'sub-9', attrs: { formKind: 'demo_request', formName: 'Demo' } },
    ]);
    // The same events, in the same order, as the read by keys.
    expect(range.get('b')).toEqual((await harness.store.factEvents.getMany(PORTAL, [contact('b')])).get('contact:b'));
    expect([...(await harness.store.factEvents.inIdRange(PORTAL, 'contact', { after: null, last: 'a' })).keys()]).toEqual(['a']);
    expect((await harness.store.factEvents.inIdRange(PORTAL, 'contact', { after: 'd', last: 'z' })).size).toBe(0);
  });
});
