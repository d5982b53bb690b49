import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import type { Harness } from './harness';
import { apiError, startHarness } from './harness';

const f = (propertyName: string, operator: FilterOperatorEnum, value?: string, values?: string[]) => ({
  propertyName,
  operator,
  ...(value !== undefined ? { value } : {}),
  ...(values ? { values } : {}),
});

describe('CRM search', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.sim.control.seed(101, 'contacts', [
      { email: 'ann@acme.com', firstname: 'Ann', lifecyclestage: 'lead', hs_lead_status: 'NEW' },
      { email: 'bob@acme.com', firstname: 'Bob', lifecyclestage: 'customer' },
      { email: 'cy@other.org', firstname: 'Cy', lifecyclestage: 'opportunity' },
      { email: 'dee@other.org', firstname: 'Dee' },
    ]);
  });
  afterEach(() => h.sim.stop());

  type SearchRequest = Parameters<ReturnType<Harness['client']>['crm']['contacts']['searchApi']['doSearch']>[0];
  const searchNow = (body: SearchRequest) => h.client().crm.contacts.searchApi.doSearch(body);
  /** Spaces searches 250 ms apart on the manual clock so the 5/s search limit stays out of the way. */
  const search = (body: SearchRequest) => {
    h.clock.advance(250);
    return searchNow(body);
  };
  const names = (r: { results: Array<{ properties: Record<string, string | null> }> }) => r.results.map((x) => x.properties.firstname);

  it('applies every operator, AND within a group and OR across groups', async () => {
    const props = ['firstname'];
    expect(names(await search({ filterGroups: [{ filters: [f('lifecyclestage', FilterOperatorEnum.Eq, 'lead')] }], properties: props }))).toEqual(['Ann']);
    expect(names(await search({ filterGroups: [{ filters: [f('lifecyclestage', FilterOperatorEnum.Neq, 'lead')] }], properties: props }))).toEqual(['Bob', 'Cy', 'Dee']);
    expect(names(await search({ filterGroups: [{ filters: [f('lifecyclestage', FilterOperatorEnum.In, undefined, ['lead', 'customer'])] }], properties: props }))).toEqual(['Ann', 'Bob']);
    expect(names(await search({ filterGroups: [{ filters: [f('lifecyclestage', FilterOperatorEnum.NotIn, undefined, ['lead', 'customer'])] }], properties: props }))).toEqual(['Cy', 'Dee']);
    expect(names(await search({ filterGroups: [{ filters: [f('lifecyclestage', FilterOperatorEnum.HasProperty)] }], properties: props }))).toEqual(['Ann', 'Bob', 'Cy']);
    expect(names(await search({ filterGroups: [{ filters: [f('lifecyclestage', FilterOperatorEnum.NotHasProperty)] }], properties: props }))).toEqual(['Dee']);
    expect(names(await search({ filterGroups: [{ filters: [f('email', FilterOperatorEnum.ContainsToken, '*@other.org')] }], properties: props }))).toEqual(['Cy', 'Dee']);
    expect(
      names(
        await search({
          filterGroups: [
            { filters: [f('email', FilterOperatorEnum.ContainsToken, '*@acme.com'), f('lifecyclestage', FilterOperatorEnum.Eq, 'customer')] },
            { filters: [f('firstname', FilterOperatorEnum.Eq, 'dee')] },
          ],
          properties: props,
        }),
      ),
    ).toEqual(['Bob', 'Dee']);
  });

  it('compares numbers and dates by value (LT, LTE, GT, GTE)', async () => {
    await h.sim.stop();
    h = await startHarness();
    const ids = h.sim.control.seed(101, 'deals', [
      { dealname: 'small', amount: '9' },
      { dealname: 'mid', amount: '100' },
      { dealname: 'big', amount: '1000' },
    ]);
    h.clock.advance(1000);
    h.sim.control.updateRecord(101, 'deals', ids[2] as string, { closedate: '2026-12-01T00:00:00Z' });
    const deals = (operator: FilterOperatorEnum, property: string, value: string) =>
      (h.clock.advance(250), h.client()).crm.deals.searchApi
        .doSearch({ filterGroups: [{ filters: [f(property, operator, value)] }], properties: ['dealname'] })
        .then((r) => r.results.map((x) => x.properties.dealname));
    expect(await deals(FilterOperatorEnum.Lt, 'amount', '100')).toEqual(['small']);
    expect(await deals(FilterOperatorEnum.Lte, 'amount', '100')).toEqual(['small', 'mid']);
    expect(await deals(FilterOperatorEnum.Gt, 'amount', '99')).toEqual(['mid', 'big']);
    expect(await deals(FilterOperatorEnum.Gte, 'closedate', String(Date.parse('2026-11-30T00:00:00Z')))).toEqual(['big']);
  });

  it('sorts and pages with after, reporting the total', async () => {
    const first = await search({ sorts: ['-firstname'], properties: ['firstname'], limit: 3 });
    expect(first.total).toBe(4);
    expect(names(first)).toEqual(['Dee', 'Cy', 'Bob']);
    const second = await search({ sorts: ['-firstname'], properties: ['firstname'], limit: 3, after: first.paging?.next?.after });
    expect(names(second)).toEqual(['Ann']);
    expect(second.paging).toBeUndefined();
  });

  it('enforces the documented limits: 200 per page, 5 groups, 6 filters per group, 10,000 results', async () => {
    expect((await apiError(search({ limit: 201 }))).body.category).toBe('VALIDATION_ERROR');
    h.clock.advance(1000);
    const sixGroups = Array.from({ length: 6 }, () => ({ filters: [f('email', FilterOperatorEnum.HasProperty)] }));
    expect(String((await apiError(search({ filterGroups: sixGroups }))).body.message)).toContain('Too many filter groups');
    const sevenFilters = [{ filters: Array.from({ length: 7 }, () => f('email', FilterOperatorEnum.HasProperty)) }];
    expect(String((await apiError(search({ filterGroups: sevenFilters }))).body.message)).toContain('Too many filters in a filter group');
    const past = await apiError(search({ limit: 100, after: '9950' }));
    expect(past.code).toBe(400);
    expect(String(past.body.message)).toContain('10000');
  });

  it('answers the 6th search in one second with 429 "You have reached your secondly limit."', async () => {
    for (let i = 0; i < 5; i += 1) await searchNow({ limit: 1 });
    const limited = await apiError(searchNow({ limit: 1 }));
    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', message: 'You have reached your secondly limit.' });
    h.clock.advance(1000);
    await expect(searchNow({ limit: 1 })).resolves.toHaveProperty('total', 4);
    expect(h.sim.control.stats().portals['101']?.rateLimited).toBe(1);
  });
});
