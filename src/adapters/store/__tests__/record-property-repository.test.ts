import type { StoredPropertyValue } from '../../../app/ports/store-ports';
import { seededRandom } from '../../../simulator/faults/seeded-random';
import { contact, PORTAL, recordCommit, T0 } from './support/fixtures';
import { describeEachDialect, type StoreHarness } from './support/store-harness';

const OTHER_PORTAL = PORTAL + 1;

async function save(harness: StoreHarness, portalId: number, objectId: string, properties: StoredPropertyValue[], expectedVersion: number | null = null) {
  return harness.store.unitOfWork.commitEvaluations(portalId, [recordCommit(contact(objectId), 'lead', { expectedVersion, properties })], [], 'w', T0);
}

const stored = async (harness: StoreHarness, portalId: number, objectId: string) =>
  ((await harness.store.recordProperties.getMany(portalId, [contact(objectId)])).get(`contact:${objectId}`) ?? []).sort((a, b) => a.property.localeCompare(b.property));

describeEachDialect('record properties (migrations 0014, 0026)', (harness) => {
  it('are stored with the record in its unit of work, per portal, with their dates where known and null for an empty value', async () => {
    await save(harness, PORTAL, 'ada', [
      { property: 'jobtitle', value: 'CTO', setAt: T0 - 1000, observedAt: null },
      { property: 'hubspotscore', value: '40', setAt: null, observedAt: null },
      { property: 'hs_lead_status', value: null, setAt: null, observedAt: null },
    ]);
    await save(harness, OTHER_PORTAL, 'ada', [{ property: 'jobtitle', value: 'Intern', setAt: null, observedAt: null }]);

    expect(await stored(harness, PORTAL, 'ada')).toEqual([
      { property: 'hs_lead_status', value: null, setAt: null, observedAt: null },
      { property: 'hubspotscore', value: '40', setAt: null, observedAt: null },
      { property: 'jobtitle', value: 'CTO', setAt: T0 - 1000, observedAt: null },
    ]);
    expect(await stored(harness, OTHER_PORTAL, 'ada')).toEqual([{ property: 'jobtitle', value: 'Intern', setAt: null, observedAt: null }]);
    expect((await harness.store.recordProperties.getMany(PORTAL, [contact('nobody')])).get('contact:nobody')).toEqual([]);
  });

  it('an unchanged value keeps its known date when a later read does not know one; a new value takes the new date, known or not', async () => {
    await save(harness, PORTAL, 'ada', [
      { property: 'jobtitle', value: 'CTO', setAt: T0 - 1000, observedAt: null },
      { property: 'hubspotscore', value: '40', setAt: T0 - 500, observedAt: null },
      { property: 'hs_lead_status', value: null, setAt: T0 - 200, observedAt: null },
    ]);
    await save(
      harness,
      PORTAL,
      'ada',
      [
        { property: 'jobtitle', value: 'CTO', setAt: null, observedAt: null },
        { property: 'hubspotscore', value: '80', setAt: null, observedAt: null },
        { property: 'hs_lead_status', value: null, setAt: null, observedAt: null },
      ],
      1,
    );

    expect(await stored(harness, PORTAL, 'ada')).toEqual([
      { property: 'hs_lead_status', value: null, setAt: T0 - 200, observedAt: null },
      { property: 'hubspotscore', value: '80', setAt: null, observedAt: null },
      { property: 'jobtitle', value: 'CTO', setAt: T0 - 1000, observedAt: null },
    ]);
  });

  it("keep when a value was first observed while it does not change, a newly known HubSpot date included; a new value takes this write's", async () => {
    await save(harness, PORTAL, 'ada', [
      { property: 'hs_is_target_account', value: 'true', setAt: null, observedAt: T0 },
      { property: 'hubspotscore', value: '40', setAt: null, observedAt: T0 },
      { property: 'jobtitle', value: 'CTO', setAt: null },
    ]);
    await save(
      harness,
      PORTAL,
      'ada',
      [
        { property: 'hs_is_target_account', value: 'true', setAt: T0 + 50, observedAt: T0 + 100 },
        { property: 'hubspotscore', value: '80', setAt: null, observedAt: T0 + 100 },
        { property: 'jobtitle', value: 'CTO', setAt: null, observedAt: T0 + 100 },
      ],
      1,
    );

    expect(await stored(harness, PORTAL, 'ada')).toEqual([
      { property: 'hs_is_target_account', value: 'true', setAt: T0 + 50, observedAt: T0 },
      { property: 'hubspotscore', value: '80', setAt: null, observedAt: T0 + 100 },
      // Stored before values were observed (migration 0026): it stays without, as the replay has always dated it.
      { property: 'jobtitle', value: 'CTO', setAt: null, observedAt: null },
    ]);
  });

  it('are not written when the commit loses its version race', async () => {
    await save(harness, PORTAL, 'ada', [{ property: 'jobtitle', value: 'CTO', setAt: null, observedAt: null }]);
    const { conflicts } = await save(harness, PORTAL, 'ada', [{ property: 'jobtitle', value: 'Intern', setAt: null, observedAt: null }], 7);

    expect(conflicts).toEqual([contact('ada')]);
    expect(await stored(harness, PORTAL, 'ada')).toEqual([{ property: 'jobtitle', value: 'CTO', setAt: null, observedAt: null }]);
  });

  it("merging keeps the winner's values and takes from the losers only properties the winner has none of; purging removes them", async () => {
    await save(harness, PORTAL, 'winner', [{ property: 'jobtitle', value: 'CTO', setAt: T0, observedAt: null }]);
    await save(harness, PORTAL, 'loser', [
      { property: 'jobtitle', value: 'Intern', setAt: T0, observedAt: null },
      { property: 'hubspotscore', value: '55', setAt: null, observedAt: T0 - 5 },
    ]);
    await save(harness, PORTAL, 'loser2', [{ property: 'hubspotscore', value: '10', setAt: null, observedAt: T0 - 9 }]);

    await harness.store.mergeRecords(PORTAL, 'contact', 'winner', ['loser', 'loser2'], T0 + 50);

    const merged = await stored(harness, PORTAL, 'winner');
    expect(merged.find((p) => p.property === 'jobtitle')).toEqual({ property: 'jobtitle', value: 'CTO', setAt: T0, observedAt: null });
    const score = merged.find((p) => p.property === 'hubspotscore');
    expect([
      ['55', T0 - 5],
      ['10', T0 - 9],
    ]).toContainEqual([score?.value, score?.observedAt]);
    expect(merged).toHaveLength(2);
    expect(await stored(harness, PORTAL, 'loser')).toEqual([]);
    expect(await stored(harness, PORTAL, 'loser2')).toEqual([]);

    await harness.store.purgeRecord(PORTAL, contact('winner'), T0 + 60);
    expect(await stored(harness, PORTAL, 'winner')).toEqual([]);
  });

  it('are read for a range of ids (after one, up to and including another, in id order) in one scan: that portal and object type only, values by property', async () => {
    await save(harness, PORTAL, 'a', [{ property: 'jobtitle', value: 'CEO', setAt: null, observedAt: null }]);
    await save(harness, PORTAL, 'b', [
      { property: 'jobtitle', value: 'CTO', setAt: T0 - 1000, observedAt: null },
      { property: 'hs_lead_status', value: null, setAt: null, observedAt: null },
      { property: 'email', value: 'b@acme.test', setAt: T0 - 2000, observedAt: null },
    ]);
    await save(harness, PORTAL, 'c', [{ property: 'hubspotscore', value: '12', setAt: T0, observedAt: null }]);
    await save(harness, PORTAL, 'd', [{ property: 'jobtitle', value: 'Intern', setAt: null, observedAt: null }]);
    await save(harness, OTHER_PORTAL, 'b', [{ property: 'jobtitle', value: 'Elsewhere', setAt: null, observedAt: null }]);
    await harness.store.unitOfWork.commitEvaluations(
      PORTAL,
      [recordCommit({ objectType: 'company', objectId: 'b' }, 'lead', { properties: [{ property: 'domain', value: 'acme.test', setAt: null, observedAt: null }] })],
      [],
      'w',
      T0,
    );

    const range = await harness.store.recordProperties.inIdRange(PORTAL, 'contact', { after: 'a', last: 'c' });

    expect([...range.keys()]).toEqual(['b', 'c']);
    expect(range.get('b')).toEqual([
      { property: 'email', value: 'b@acme.test', setAt: T0 - 2000, observedAt: null },
      { property: 'hs_lead_status', value: null, setAt: null, observedAt: null },
      { property: 'jobtitle', value: 'CTO', setAt: T0 - 1000, observedAt: null },
    ]);
    expect(range.get('c')).toEqual([{ property: 'hubspotscore', value: '12', setAt: T0, observedAt: null }]);
    expect([...(await harness.store.recordProperties.inIdRange(PORTAL, 'contact', { after: null, last: 'b' })).keys()]).toEqual(['a', 'b']);
    // The same values as the reads by key.
    expect(range.get('b')).toEqual(await stored(harness, PORTAL, 'b'));
  });

  it('are read for a range as a read by keys reads them, for random values and dates (the replay reads them by range)', async () => {
    const random = seededRandom(7);
    const names = ['email', 'hubspotscore', 'jobtitle', 'hs_lead_status', 'createdate'];
    const ids = Array.from({ length: 30 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    await harness.store.unitOfWork.commitEvaluations(
      PORTAL,
      ids.map((id) =>
        recordCommit(contact(id), 'lead', {
          properties: names
            .filter(() => random() < 0.7)
            .map((property) => ({
              property,
              value: pick([null, '', 'x', 'ünïcødé "quoted" \\ value', '12.5']),
              setAt: pick([null, T0, T0 - 86_400_000 * 900, 1]),
              observedAt: pick([null, T0, 1]),
            })),
        }),
      ),
      [],
      'w',
      T0,
    );

    const range = await harness.store.recordProperties.inIdRange(PORTAL, 'contact', { after: null, last: 'r99' });
    const byKey = await harness.store.recordProperties.getMany(PORTAL, ids.map(contact));

    for (const id of ids) {
      const sorted = (byKey.get(`contact:${id}`) ?? []).sort((a, b) => (a.property < b.property ? -1 : 1));
      expect(range.get(id) ?? []).toEqual(sorted);
    }
  });

  it('migration 0014 runs on a database already at the later migrations (numbers were handed out to parallel branches)', async () => {
    await harness.db.schema.dropTable('record_properties').execute();
    await harness.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, 'in', ['0014-record-properties', '0026-record-property-observed-at'] as never)
      .execute();

    await harness.reopen();

    await save(harness, PORTAL, 'ada', [{ property: 'jobtitle', value: 'CTO', setAt: null, observedAt: null }]);
    expect(await stored(harness, PORTAL, 'ada')).toEqual([{ property: 'jobtitle', value: 'CTO', setAt: null, observedAt: null }]);
  });
});
