import { CompiledQuery } from 'kysely';
import { recordIn } from '../record-keys';
import { PORTAL } from './support/fixtures';
import { StoreHarness } from './support/store-harness';

/**
 * Issue 15 (B4-PG): a backfill reads the states, facts and properties of a unit's contacts 500 keys a statement.
 * PostgreSQL planned the row values `(object_type, object_id) in ((…), …)` as an OR of one index scan per key (250 ms
 * of planning for 500 keys); keys of one type are one `object_id = any(…)` index condition.
 */
describe('reading many records by key (postgres)', () => {
  const harness = new StoreHarness('postgres');
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  const contacts = (n: number) => Array.from({ length: n }, (_, i) => ({ objectType: 'contact' as const, objectId: String(1_000 + i) }));

  it('keys of one type are one index condition over an array, not an OR of one scan per key', async () => {
    const query = harness.db
      .selectFrom('record_properties')
      .selectAll()
      .where('portal_id', '=', PORTAL)
      .where(recordIn(contacts(500)))
      .compile();
    const plan = await harness.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');

    expect(text).toContain('ANY');
    expect(text).not.toContain('BitmapOr');
  });

  it('finds exactly the rows of the keys asked for, of one type or of several', async () => {
    await harness.db
      .insertInto('record_properties')
      .values([
        { portal_id: PORTAL, object_type: 'contact', object_id: '1000', property: 'email', value: 'a@x.test', set_at: null },
        { portal_id: PORTAL, object_type: 'contact', object_id: '1001', property: 'email', value: 'b@x.test', set_at: null },
        { portal_id: PORTAL, object_type: 'company', object_id: '1000', property: 'domain', value: 'x.test', set_at: null },
      ])
      .execute();
    const read = (keys: Parameters<typeof recordIn>[0]) =>
      harness.db
        .selectFrom('record_properties')
        .select(['object_type', 'object_id'])
        .where('portal_id', '=', PORTAL)
        .where(recordIn(keys))
        .orderBy('object_type')
        .orderBy('object_id')
        .execute();

    expect(await read([{ objectType: 'contact', objectId: '1000' }])).toEqual([{ object_type: 'contact', object_id: '1000' }]);
    expect(
      await read([
        { objectType: 'contact', objectId: '1001' },
        { objectType: 'company', objectId: '1000' },
      ]),
    ).toEqual([
      { object_type: 'company', object_id: '1000' },
      { object_type: 'contact', object_id: '1001' },
    ]);
  });
});
