import type { Harness } from './harness';
import { apiError, startHarness } from './harness';

describe('batch endpoints', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.sim.stop());

  it("creates, reads, updates and archives in batches with HubSpot's envelope", async () => {
    const { batchApi } = h.client().crm.contacts;
    const created = await batchApi.create({ inputs: [1, 2, 3].map((n) => ({ properties: { email: `b${n}@example.com` }, associations: [] })) });
    expect(created.status).toBe('COMPLETE');
    expect(created.results).toHaveLength(3);
    expect(created.startedAt).toBeInstanceOf(Date);
    expect(created.completedAt).toBeInstanceOf(Date);

    const ids = created.results.map((r) => r.id);
    const updated = await batchApi.update({ inputs: ids.map((id) => ({ id, properties: { lifecyclestage: 'lead' } })) });
    expect(updated.results.map((r) => r.properties.lifecyclestage)).toEqual(['lead', 'lead', 'lead']);

    const read = await batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['email', 'lifecyclestage'], propertiesWithHistory: ['lifecyclestage'] });
    expect(read.results.map((r) => r.properties.lifecyclestage)).toEqual(['lead', 'lead', 'lead']);
    expect(read.results[0]?.propertiesWithHistory?.lifecyclestage?.[0]?.value).toBe('lead');

    await batchApi.archive({ inputs: [{ id: ids[0] as string }] });
    const afterArchive = await batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['email'], propertiesWithHistory: [] });
    expect(afterArchive).toMatchObject({ numErrors: 1, errors: [expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { ids: [ids[0]] } })] });
    expect(afterArchive.results).toHaveLength(2);
  });

  it('refuses 101 inputs with a 400 that names the limit', async () => {
    const error = await apiError(
      h.client().crm.contacts.batchApi.create({ inputs: Array.from({ length: 101 }, (_, n) => ({ properties: { email: `x${n}@example.com` }, associations: [] })) }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(error.body.message)).toContain('maximum of 100 inputs');
  });

  it('refuses a history read of more than 50 records, as HubSpot does, and accepts 50', async () => {
    const ids = h.sim.control.seed(
      101,
      'contacts',
      Array.from({ length: 51 }, (_, n) => ({ email: `h${n}@example.com` })),
    );
    const { batchApi } = h.client().crm.contacts;
    const error = await apiError(batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['email'], propertiesWithHistory: ['email'] }));
    expect(error.code).toBe(400);
    expect(String(error.body.message)).toContain('property histories is 50');
    const fifty = await batchApi.read({ inputs: ids.slice(0, 50).map((id) => ({ id })), properties: ['email'], propertiesWithHistory: ['email'] });
    expect(fifty.results).toHaveLength(50);
    const withoutHistory = await batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['email'], propertiesWithHistory: [] });
    expect(withoutHistory.results).toHaveLength(51);
  });

  it('answers 207 multi-status when some inputs fail: invalid values, scripted failures, unknown ids', async () => {
    const client = h.client();
    const ids = h.sim.control.seed(101, 'contacts', [{ email: 'ok@example.com' }, { email: 'bad@example.com' }, { email: 'scripted@example.com' }]);
    h.sim.control.setFaults(101, { failingItems: [{ objectType: 'contacts', ids: [ids[2] as string], message: 'Scripted failure' }] });
    const response = await client.crm.contacts.batchApi.update({
      inputs: [
        { id: ids[0] as string, properties: { lifecyclestage: 'lead' } },
        { id: ids[1] as string, properties: { lifecyclestage: 'not-a-stage' } },
        { id: ids[2] as string, properties: { firstname: 'X' } },
        { id: '999999', properties: { firstname: 'Y' } },
      ],
    });
    expect(response.results.map((r) => r.id)).toEqual([ids[0]]);
    expect(response).toMatchObject({ status: 'COMPLETE', numErrors: 3 });
    const errors = 'errors' in response ? (response.errors ?? []) : [];
    expect(errors.map((e) => [e.category, e.context?.ids?.[0]])).toEqual([
      ['VALIDATION_ERROR', ids[1]],
      ['VALIDATION_ERROR', ids[2]],
      ['OBJECT_NOT_FOUND', '999999'],
    ]);
    expect(errors[1]?.message).toBe('Scripted failure');
  });

  it('serves batch update on the 2026-03 path with the same semantics', async () => {
    const [id] = h.sim.control.seed(101, 'companies', [{ name: 'Acme' }]);
    const response = await h
      .client()
      .apiRequest({ method: 'POST', path: '/crm/objects/2026-03/companies/batch/update', body: { inputs: [{ id, properties: { lifecyclestage: 'customer' } }] } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { results: Array<{ properties: Record<string, string> }> }).results[0]?.properties.lifecyclestage).toBe('customer');
  });
});
