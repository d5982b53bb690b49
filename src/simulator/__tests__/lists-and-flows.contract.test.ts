import type { Harness } from './harness';
import { apiError, startHarness } from './harness';

const and = (...filters: unknown[]) => ({ filterBranchType: 'OR', filters: [], filterBranches: [{ filterBranchType: 'AND', filters, filterBranches: [] }] });
const todayPlus = (property: string, operator: 'IS_AFTER' | 'IS_BEFORE', days: number) => ({
  filterType: 'PROPERTY',
  property,
  operation: {
    operationType: 'TIME_POINT',
    operator,
    includeObjectsWithNoValueSet: false,
    timePoint: { timeType: 'INDEXED', zoneId: 'UTC', indexReference: { referenceType: 'TODAY' }, offset: { days } },
  },
});

describe('Lists API v3 and automation v4 flows', () => {
  let h: Harness;
  let ann: string, bob: string, cy: string;
  beforeEach(async () => {
    h = await startHarness(); // clock: 2026-11-02T09:00Z
    await h
      .client()
      .crm.properties.coreApi.create('contacts', { name: 'renewal_date', label: 'Renewal date', type: 'datetime' as never, fieldType: 'date' as never, groupName: 'contactinformation' });
    [ann, bob, cy] = h.sim.control.seed(101, 'contacts', [
      { email: 'ann@acme.com', hs_lead_status: 'NEW', renewal_date: '2026-11-04T12:00:00.000Z' },
      { email: 'bob@acme.com', hs_lead_status: 'OPEN', renewal_date: '2026-11-10T00:00:00.000Z' },
      { email: 'cy@other.org' },
    ]) as [string, string, string];
  });
  afterEach(() => h.sim.stop());

  const members = async (listId: string) => (await h.client().crm.lists.membershipsApi.getPage(listId)).results.map((r) => r.recordId);

  it('a DYNAMIC list holds the records its filters match, and a TODAY-relative filter moves them as the clock moves', async () => {
    const { list } = await h
      .client()
      .crm.lists.listsApi.create({ name: 'Closing within 3 days', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: and(todayPlus('renewal_date', 'IS_BEFORE', 3)) as never });
    expect(list).toMatchObject({ processingType: 'DYNAMIC', listVersion: 1, size: 1, filterBranch: { filterBranchType: 'OR', filterBranchOperator: 'OR' } });
    expect(await members(list.listId)).toEqual([ann]);

    h.clock.advance(6 * 86_400_000); // Nov 8: both dates are before Nov 11; Ann's has passed but is still "before"
    expect(await members(list.listId)).toEqual([ann, bob]);
  });

  it('ENUMERATION, ALL_PROPERTY and IN_LIST filters combine with AND inside a branch and OR across branches', async () => {
    const lists = h.client().crm.lists.listsApi;
    const known = { filterType: 'PROPERTY', property: 'hs_lead_status', operation: { operationType: 'ALL_PROPERTY', operator: 'IS_KNOWN', includeObjectsWithNoValueSet: false } };
    const open = {
      filterType: 'PROPERTY',
      property: 'hs_lead_status',
      operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: ['OPEN'], includeObjectsWithNoValueSet: false },
    };
    const withStatus = (await lists.create({ name: 'Has a lead status', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: and(known) as never })).list;
    const notInIt = { filterType: 'IN_LIST', listId: withStatus.listId, operator: 'NOT_IN_LIST' };
    const either = { filterBranchType: 'OR', filters: [], filterBranches: [and(open).filterBranches[0], and(notInIt).filterBranches[0]] };
    const combined = (await lists.create({ name: 'Open or no status', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: either as never })).list;
    expect(await members(combined.listId)).toEqual([bob, cy]);
    h.sim.control.updateRecord(101, 'contacts', cy, { hs_lead_status: 'NEW' });
    expect(await members(combined.listId)).toEqual([bob]);
  });

  it('refuses a filter tree whose root is not an OR of AND branches, a duplicate name, and an operation it cannot evaluate', async () => {
    const lists = h.client().crm.lists.listsApi;
    const bad = await apiError(
      lists.create({ name: 'x', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: { filterBranchType: 'AND', filters: [], filterBranches: [] } as never }),
    );
    expect(bad).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
    await lists.create({ name: 'Once', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: and(todayPlus('renewal_date', 'IS_AFTER', 0)) as never });
    expect((await apiError(lists.create({ name: 'once', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: and(todayPlus('renewal_date', 'IS_AFTER', 0)) as never }))).code).toBe(
      400,
    );
    const ranged = { filterType: 'PROPERTY', property: 'renewal_date', operation: { operationType: 'TIME_RANGED', operator: 'IS_BETWEEN' } };
    expect((await apiError(lists.create({ name: 'y', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: and(ranged) as never }))).body['message']).toMatch(/TIME_POINT/);
  });

  it('search finds lists by name; updating filters bumps listVersion; delete removes the list', async () => {
    const lists = h.client().crm.lists.listsApi;
    const { list } = await lists.create({ name: 'Acme people', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: and(todayPlus('renewal_date', 'IS_AFTER', 0)) as never });
    const found = await lists.doSearch({ query: 'acme', count: 10, offset: 0 });
    expect(found).toMatchObject({ total: 1, hasMore: false, lists: [{ listId: list.listId, name: 'Acme people', additionalProperties: { hs_list_size: '2' } }] });
    const { updatedList } = await lists.updateListFilters(list.listId, { filterBranch: and(todayPlus('renewal_date', 'IS_AFTER', 5)) as never });
    expect(updatedList).toMatchObject({ listVersion: 2, size: 1 });
    await lists.remove(list.listId);
    expect((await apiError(lists.getById(list.listId))).code).toBe(404);
  });

  it('flows: create (ids as strings), list, get, update only with the current revisionId, delete; app actions must exist', async () => {
    const [recycle] = h.sim.control.registerActionDefinitions(h.sim.portals[0]!.appId, [{ actionUrl: 'https://app.example/actions/recycle', objectTypes: ['CONTACT'] }]);
    const body = {
      name: 'Recycle it',
      type: 'CONTACT_FLOW',
      objectTypeId: '0-1',
      isEnabled: false,
      startActionId: '1',
      nextAvailableActionId: '2',
      actions: [{ actionId: '1', actionTypeId: `1-${recycle!.id}`, actionTypeVersion: 1, type: 'SINGLE_CONNECTION', fields: { reason: 'no_budget' } }],
    };
    const request = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown) => h.client().apiRequest({ method, path, ...(payload ? { body: payload } : {}) });
    const created = (await (await request('POST', '/automation/v4/flows', body)).json()) as { id: string; revisionId: string };
    expect(created).toMatchObject({ revisionId: '1', isEnabled: false, flowType: 'WORKFLOW' });
    expect(await (await request('GET', '/automation/v4/flows')).json()).toEqual({ results: [expect.objectContaining({ id: created.id, name: 'Recycle it' })] });

    expect((await request('PUT', `/automation/v4/flows/${created.id}`, { ...body, revisionId: '7' })).status).toBe(400);
    const updated = (await (await request('PUT', `/automation/v4/flows/${created.id}`, { ...body, revisionId: '1', isEnabled: true })).json()) as { revisionId: string };
    expect(updated.revisionId).toBe('2');

    const unknownAction = { ...body, actions: [{ ...body.actions[0], actionTypeId: '1-999' }] };
    expect((await request('POST', '/automation/v4/flows', unknownAction)).status).toBe(400);
    expect((await request('DELETE', `/automation/v4/flows/${created.id}`)).status).toBe(204);
    expect((await request('GET', `/automation/v4/flows/${created.id}`)).status).toBe(404);
  });
});
