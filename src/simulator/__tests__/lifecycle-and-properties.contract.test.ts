import type { Harness } from './harness';
import { apiError, startHarness } from './harness';

describe('lifecyclestage as HubSpot does it', () => {
  let h: Harness;
  afterEach(() => h.sim.stop());

  const stageOf = async (id: string) => (await h.client().crm.contacts.basicApi.getById(id, ['lifecyclestage'])).properties.lifecyclestage;

  it('ignores a backwards write, and moves back after clear-then-set', async () => {
    h = await startHarness();
    const contacts = h.client().crm.contacts.basicApi;
    const { id } = await contacts.create({ properties: { lifecyclestage: 'customer' }, associations: [] });
    await contacts.update(id, { properties: { lifecyclestage: 'lead' } });
    expect(await stageOf(id)).toBe('customer');

    await contacts.update(id, { properties: { lifecyclestage: '' } });
    await contacts.update(id, { properties: { lifecyclestage: 'lead' } });
    expect(await stageOf(id)).toBe('lead');
    const history = (await contacts.getById(id, undefined, ['lifecyclestage'])).propertiesWithHistory?.lifecyclestage?.map((v) => v.value);
    expect(history).toEqual(['lead', '', 'customer']);
  });

  it('maintains the stage-calculated properties in milliseconds', async () => {
    h = await startHarness();
    const contacts = h.client().crm.contacts.basicApi;
    const { id } = await contacts.create({ properties: { lifecyclestage: 'lead' }, associations: [] });
    h.clock.advance(3_600_000);
    await contacts.update(id, { properties: { lifecyclestage: 'opportunity' } });
    h.clock.advance(1_000);
    await contacts.update(id, { properties: { lifecyclestage: '' } });
    await contacts.update(id, { properties: { lifecyclestage: 'lead' } });
    h.clock.advance(2_000);
    await contacts.update(id, { properties: { lifecyclestage: 'customer' } });

    const props = (
      await contacts.getById(id, [
        'hs_v2_date_entered_lead',
        'hs_v2_date_exited_lead',
        'hs_v2_latest_time_in_lead',
        'hs_v2_cumulative_time_in_lead',
        'hs_v2_date_entered_customer',
        'hs_v2_cumulative_time_in_opportunity',
      ])
    ).properties;
    expect(props).toMatchObject({
      hs_v2_date_entered_lead: '2026-11-02T10:00:01.000Z',
      hs_v2_date_exited_lead: '2026-11-02T10:00:03.000Z',
      hs_v2_latest_time_in_lead: '2000',
      hs_v2_cumulative_time_in_lead: String(3_600_000 + 2_000),
      hs_v2_date_entered_customer: '2026-11-02T10:00:03.000Z',
      hs_v2_cumulative_time_in_opportunity: '1000',
    });
    const readOnly = await apiError(contacts.update(id, { properties: { hs_v2_date_entered_lead: '2020-01-01T00:00:00Z' } }));
    expect(readOnly.body.errors).toEqual([expect.objectContaining({ code: 'READ_ONLY_VALUE' })]);
  });

  it('supports custom stages with numeric ids per portal, in their own order', async () => {
    h = await startHarness({
      portals: [
        {
          portalId: 101,
          lifecycleStages: [
            { value: 'lead', label: 'Lead' },
            { value: '153180554', label: 'Recycled' },
            { value: 'customer', label: 'Customer' },
          ],
        },
      ],
    });
    const stages = await h.client().crm.properties.coreApi.getByName('contacts', 'lifecyclestage');
    expect(stages.options.map((o) => o.value)).toEqual(['lead', '153180554', 'customer']);
    const { id } = await h.client().crm.contacts.basicApi.create({ properties: { lifecyclestage: 'lead' }, associations: [] });
    await h.client().crm.contacts.basicApi.update(id, { properties: { lifecyclestage: '153180554' } });
    expect(await stageOf(id)).toBe('153180554');
    const entered = await h.client().crm.contacts.basicApi.getById(id, ['hs_v2_date_entered_153180554']);
    expect(entered.properties.hs_v2_date_entered_153180554).toBe('2026-11-02T09:00:00.000Z');
  });
});

describe('Properties API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.sim.stop());

  it('creates a group and an enumeration property, refuses duplicates with 409, and PATCHes options', async () => {
    const { properties } = h.client().crm;
    const group = await properties.groupsApi.create('contacts', { name: 'lifecycle_health', label: 'Lifecycle health', displayOrder: -1 });
    expect(group).toMatchObject({ name: 'lifecycle_health', archived: false });
    expect((await apiError(properties.groupsApi.create('contacts', { name: 'lifecycle_health', label: 'Again' }))).code).toBe(409);

    const input = {
      name: 'lc_state',
      label: 'Lifecycle state',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'lifecycle_health',
      options: [{ label: 'Recycled', value: 'recycled', displayOrder: 0, hidden: false }],
    } as never;
    const created = await properties.coreApi.create('contacts', input);
    expect(created).toMatchObject({ name: 'lc_state', type: 'enumeration', groupName: 'lifecycle_health', hubspotDefined: false });
    expect((await apiError(properties.coreApi.create('contacts', input))).code).toBe(409);

    await properties.coreApi.update('contacts', 'lc_state', {
      options: [
        { label: 'Recycled', value: 'recycled', displayOrder: 0, hidden: false },
        { label: 'Dead end', value: 'dead_end', displayOrder: 1, hidden: false },
      ],
    });
    expect((await properties.coreApi.getByName('contacts', 'lc_state')).options.map((o) => o.value)).toEqual(['recycled', 'dead_end']);
    expect((await properties.groupsApi.getAll('contacts')).results.map((g) => g.name)).toContain('lifecycle_health');
    expect((await properties.coreApi.getAll('contacts')).results.map((p) => p.name)).toEqual(expect.arrayContaining(['lc_state', 'lifecyclestage', 'hs_v2_date_entered_customer']));
  });

  it('batch-creates properties and validates written values against their types', async () => {
    const { properties, contacts } = h.client().crm;
    const batch = await properties.batchApi.create('contacts', {
      inputs: [
        { name: 'lc_score', label: 'Score', type: 'number', fieldType: 'number', groupName: 'contactinformation' },
        { name: 'lc_recycled_at', label: 'Recycled at', type: 'datetime', fieldType: 'date', groupName: 'contactinformation' },
        {
          name: 'lc_is_dead',
          label: 'Dead',
          type: 'bool',
          fieldType: 'booleancheckbox',
          groupName: 'contactinformation',
          options: [
            { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
            { label: 'No', value: 'false', displayOrder: 1, hidden: false },
          ],
        },
      ] as never,
    });
    expect(batch.results.map((p) => p.name).sort()).toEqual(['lc_is_dead', 'lc_recycled_at', 'lc_score']);

    const invalid = await apiError(contacts.basicApi.create({ properties: { lc_score: 'many', lc_recycled_at: 'yesterday', lc_is_dead: 'perhaps' }, associations: [] }));
    expect((invalid.body.errors as Array<{ code: string }>).map((e) => e.code)).toEqual(['INVALID_NUMBER', 'INVALID_DATETIME', 'INVALID_BOOLEAN']);
    const valid = await contacts.basicApi.create({ properties: { lc_score: '42', lc_recycled_at: String(Date.parse('2026-11-01T00:00:00Z')), lc_is_dead: 'TRUE' }, associations: [] });
    expect(valid.properties).toMatchObject({ lc_score: '42', lc_recycled_at: '2026-11-01T00:00:00.000Z', lc_is_dead: 'true' });
  });
});
