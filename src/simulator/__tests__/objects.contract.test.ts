import type { Harness } from './harness';
import { apiError, startHarness } from './harness';

describe('CRM objects through @hubspot/api-client', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.sim.stop());

  it('creates a contact with system properties and reads it back by id', async () => {
    const client = h.client();
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'ada@example.com', firstname: 'Ada' }, associations: [] });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties.email).toBe('ada@example.com');

    const read = await client.crm.contacts.basicApi.getById(created.id, ['email', 'firstname', 'lastname']);
    expect(read.properties).toMatchObject({ email: 'ada@example.com', firstname: 'Ada', lastname: null, hs_object_id: created.id, createdate: '2026-11-02T09:00:00.000Z' });
    expect(read.createdAt).toEqual(new Date('2026-11-02T09:00:00.000Z'));
  });

  it('updates with PATCH, moves lastmodifieddate and keeps history newest first', async () => {
    const client = h.client();
    const { id } = await client.crm.contacts.basicApi.create({ properties: { firstname: 'Ada' }, associations: [] });
    h.clock.advance(60_000);
    await client.crm.contacts.basicApi.update(id, { properties: { firstname: 'Grace' } });

    const read = await client.crm.contacts.basicApi.getById(id, ['firstname', 'lastmodifieddate'], ['firstname']);
    expect(read.properties.lastmodifieddate).toBe('2026-11-02T09:01:00.000Z');
    const history = read.propertiesWithHistory?.firstname ?? [];
    expect(history.map((v) => v.value)).toEqual(['Grace', 'Ada']);
    expect(history[0]).toMatchObject({ sourceType: 'API', timestamp: new Date('2026-11-02T09:01:00.000Z') });
  });

  it('keeps hs_lastmodifieddate on companies and deals', async () => {
    const client = h.client();
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Acme' }, associations: [] });
    const read = await client.crm.companies.basicApi.getById(company.id, ['hs_lastmodifieddate', 'name']);
    expect(read.properties.hs_lastmodifieddate).toBe('2026-11-02T09:00:00.000Z');
    const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'Big one', amount: '1200' }, associations: [] });
    expect((await client.crm.deals.basicApi.getById(deal.id)).properties).toMatchObject({ dealname: 'Big one', amount: '1200', hs_lastmodifieddate: '2026-11-02T09:00:00.000Z' });
  });

  it('archives a record, after which it is a 404', async () => {
    const client = h.client();
    const { id } = await client.crm.contacts.basicApi.create({ properties: { email: 'gone@example.com' }, associations: [] });
    await client.crm.contacts.basicApi.archive(id);
    const error = await apiError(client.crm.contacts.basicApi.getById(id));
    expect(error.code).toBe(404);
    expect(error.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect(typeof error.body.correlationId).toBe('string');
  });

  it('pages through a list with limit and after, and refuses a limit over 100', async () => {
    const client = h.client();
    h.sim.control.seed(
      101,
      'contacts',
      Array.from({ length: 25 }, (_, i) => ({ email: `p${i}@example.com` })),
    );
    const first = await client.crm.contacts.basicApi.getPage(10, undefined, ['email']);
    expect(first.results).toHaveLength(10);
    const second = await client.crm.contacts.basicApi.getPage(10, first.paging?.next?.after, ['email']);
    const third = await client.crm.contacts.basicApi.getPage(10, second.paging?.next?.after, ['email']);
    expect(third.results).toHaveLength(5);
    expect(third.paging).toBeUndefined();
    const emails = [...first.results, ...second.results, ...third.results].map((r) => r.properties.email);
    expect(new Set(emails).size).toBe(25);

    const error = await apiError(client.crm.contacts.basicApi.getPage(101));
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(String(error.body.message)).toContain('limit must be 100 or less');
  });

  it('serves tasks and notes through the generic objects API with associations on create', async () => {
    const client = h.client();
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Acme' }, associations: [] });
    const task = await client.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: '2026-11-03T09:00:00Z', hs_task_subject: 'Company recycled', hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH' },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 192 }] }],
    });
    const note = await client.crm.objects.notes.basicApi.create({ properties: { hs_timestamp: '2026-11-03T09:00:00Z', hs_note_body: 'Recycled by the engine' }, associations: [] });
    expect((await client.crm.objects.basicApi.getById('notes', note.id, ['hs_note_body'])).properties.hs_note_body).toBe('Recycled by the engine');
    const withAssociations = await client.crm.companies.basicApi.getById(company.id, undefined, undefined, ['tasks']);
    expect(withAssociations.associations?.tasks?.results.map((r) => r.id)).toEqual([task.id]);
  });

  it('answers the date-versioned 2026-03 batch read and search paths', async () => {
    const client = h.client();
    const [id] = h.sim.control.seed(101, 'contacts', [{ email: 'dated@example.com', lifecyclestage: 'lead' }]);
    const read = await client.apiRequest({ method: 'POST', path: '/crm/objects/2026-03/contacts/batch/read', body: { inputs: [{ id }], properties: ['email'] } });
    expect(((await read.json()) as { results: Array<{ properties: { email: string } }> }).results[0]?.properties.email).toBe('dated@example.com');
    const search = await client.apiRequest({
      method: 'POST',
      path: '/crm/objects/2026-03/contacts/search',
      body: { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }] },
    });
    expect(((await search.json()) as { total: number }).total).toBe(1);
  });

  it('refuses a bad token with a HubSpot-shaped 401 and rejects invalid values with 400', async () => {
    const denied = await apiError(h.client('not-a-token').crm.contacts.basicApi.getPage());
    expect(denied.code).toBe(401);
    expect(denied.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });

    const invalid = await apiError(h.client().crm.contacts.basicApi.create({ properties: { lifecyclestage: 'astronaut' }, associations: [] }));
    expect(invalid.code).toBe(400);
    expect(invalid.body.category).toBe('VALIDATION_ERROR');
    expect(String(invalid.body.message)).toContain('astronaut was not one of the allowed options');

    const unknownProperty = await apiError(h.client().crm.contacts.basicApi.create({ properties: { favourite_colour: 'red' }, associations: [] }));
    expect(unknownProperty.body.errors).toEqual([expect.objectContaining({ code: 'PROPERTY_DOESNT_EXIST' })]);
  });

  it("keeps each portal's data apart", async () => {
    await h.sim.stop();
    h = await startHarness({ portals: [{ portalId: 101 }, { portalId: 202, tier: 'private-professional' }] });
    await h.client('sim-token-101').crm.contacts.basicApi.create({ properties: { email: 'a@example.com' }, associations: [] });
    expect((await h.client('sim-token-202').crm.contacts.basicApi.getPage()).results).toEqual([]);
    expect((await h.client('sim-token-101').crm.contacts.basicApi.getPage()).results).toHaveLength(1);
  });
});
