import { CompiledQuery } from 'kysely';
import { dueItemsAfter } from '../outbox-repository';
import { contact, PORTAL, propertyUpdate, recordCommit, T0 } from './support/fixtures';
import { StoreHarness } from './support/store-harness';

/**
 * Issue 15: a backfill leaves one finished outbox item per contact, so at a million contacts the outbox is mostly
 * history. The claim runs once per write-back batch; its read of due items must cost what is open, not what the
 * portal ever queued (SQLite walked the table by rowid from the first item: 15 ms per claim at 200,000 finished items).
 */
describe('the outbox claim on a portal with a long finished history (sqlite)', () => {
  const harness = new StoreHarness('sqlite');
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('reads the due items through the open-items index, never by walking the table past finished items', async () => {
    const commits = Array.from({ length: 300 }, (_, i) => recordCommit(contact(`c${i}`), 'lead', { outbox: [propertyUpdate({ lc_stage: 'lead' })] }));
    await harness.store.unitOfWork.commitEvaluations(PORTAL, commits, [], 'w', T0);
    const claimed = await harness.store.outbox.claim(PORTAL, { kind: 'update_properties', workerId: 'w', limit: 250, leaseMs: 60_000, now: T0 });
    await harness.store.outbox.markDone(
      PORTAL,
      claimed.map((item) => item.id),
      T0,
    );

    const query = dueItemsAfter(harness.db, PORTAL, 'update_properties', T0, -1, 400).compile();
    const plan = await harness.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    const details = plan.rows.map((row) => row.detail).join('\n');

    expect(details).toContain('outbox_claim_idx');
    expect(details).not.toMatch(/rowid|SCAN outbox/);
    const due = await dueItemsAfter(harness.db, PORTAL, 'update_properties', T0, -1, 400).execute();
    expect(due.map((row) => row.object_id)).toEqual(Array.from({ length: 50 }, (_, i) => `c${250 + i}`));
  });
});
