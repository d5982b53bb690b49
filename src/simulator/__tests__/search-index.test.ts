import fc from 'fast-check';
import { API_WRITE } from '../domain/crm-record';
import { CrmService } from '../domain/crm-service';
import { PropertyRegistry } from '../domain/property-registry';
import { runSearch, type SearchQuery } from '../domain/run-search';
import type { Filter, FilterOperator } from '../domain/search';
import { matches, sortRecords } from '../domain/search';

const START = Date.parse('2026-11-02T09:00:00Z');

function portalOf(): { crm: CrmService; tick: (ms: number) => void; now: () => number } {
  let now = START;
  const registry = new PropertyRegistry(() => new Date(now).toISOString());
  const crm = new CrmService({ clock: () => now, registry, onChange: () => undefined, itemFailure: () => undefined });
  return { crm, tick: (ms) => (now += ms), now: () => now };
}

/** `size` contacts, 5 of them customers; then 10 of them touched an hour later. */
function seededPortal(size: number) {
  const p = portalOf();
  const ids = Array.from(
    { length: size },
    (_, i) => p.crm.create('contacts', { email: `c${i}@example.test`, lifecyclestage: i % Math.floor(size / 5) === 0 ? 'customer' : 'lead' }, [], API_WRITE).id,
  );
  p.tick(3_600_000);
  const since = p.now() - 1;
  for (const id of ids.slice(0, 10)) p.crm.update('contacts', id, { firstname: 'Touched' }, API_WRITE);
  return { ...p, ids, since };
}

const lookup = (crm: CrmService) => (name: string) => crm.definition('contacts', name);
const search = (crm: CrmService, query: Partial<SearchQuery>) => runSearch(crm.table('contacts'), { filterGroups: [], sorts: [], after: 0, limit: 200, ...query }, lookup(crm));
const filter = (propertyName: string, operator: FilterOperator, value?: string): Filter => ({ propertyName, operator, ...(value !== undefined ? { value } : {}) });

describe('simulator search on a large portal', () => {
  it('when the portal is twenty times larger, the searches the product makes examine no more records', () => {
    const examined = (size: number) => {
      const { crm, ids, since, now } = seededPortal(size);
      const byId = { filterGroups: [{ filters: [filter('hs_object_id', 'GT', ids[300])] }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' as const }] };
      const page = search(crm, byId);
      expect(page.total).toBe(size - 301);
      expect(page.page.map((r) => r.id)).toEqual(ids.slice(301, 501));
      const customers = search(crm, { filterGroups: [{ filters: [filter('lifecyclestage', 'EQ', 'customer'), filter('hs_object_id', 'GT', '0')] }] });
      expect(customers.total).toBe(5);
      const window = [filter('lastmodifieddate', 'GT', String(since)), filter('lastmodifieddate', 'LTE', String(now()))];
      const touched = search(crm, { filterGroups: [{ filters: window }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] });
      expect(touched.page.map((r) => r.id)).toEqual(ids.slice(0, 10));
      return [page.examined, customers.examined, touched.examined];
    };
    const small = examined(1_000);
    const large = examined(20_000);
    expect(large).toEqual(small);
    expect(large).toEqual([200, 5, 10]);
  });

  it('when a group has no filter an index can narrow (NEQ), the search still answers, by examining every record', () => {
    const { crm } = seededPortal(1_000);
    const result = search(crm, { filterGroups: [{ filters: [filter('lifecyclestage', 'NEQ', 'lead')] }] });
    expect(result.total).toBe(5);
    expect(result.examined).toBe(1_000);
  });

  it('when records are written, archived and searched in any order, indexed search answers exactly as a pass over every record', () => {
    const operators: FilterOperator[] = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'];
    const property = fc.constantFrom('hs_object_id', 'lifecyclestage', 'firstname', 'lastmodifieddate');
    const value = fc.constantFrom('lead', 'customer', 'Ann', 'bob', '1003', '1010', String(START + 5_000), '');
    const step = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), firstname: value }),
      fc.record({ kind: fc.constant('update' as const), which: fc.nat(30), firstname: value, stage: fc.constantFrom('lead', 'customer', 'subscriber') }),
      fc.record({ kind: fc.constant('archive' as const), which: fc.nat(30) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 4_000 }) }),
    );
    const filterArb = fc.record({ propertyName: property, operator: fc.constantFrom(...operators), value, highValue: value, values: fc.array(value, { maxLength: 3 }) });
    const queryArb = fc.record({
      groups: fc.array(fc.array(filterArb, { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
      sort: fc.option(fc.record({ propertyName: property, direction: fc.constantFrom('ASCENDING' as const, 'DESCENDING' as const) }), { nil: undefined }),
      after: fc.nat(8),
      limit: fc.integer({ min: 1, max: 10 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), queryArb, (steps, q) => {
        const { crm, tick } = portalOf();
        const created: string[] = [];
        for (const s of steps) {
          if (s.kind === 'create') created.push(crm.create('contacts', s.firstname ? { firstname: s.firstname } : {}, [], API_WRITE).id);
          const id = 'which' in s ? created[s.which % Math.max(1, created.length)] : undefined;
          if (s.kind === 'update' && id && crm.find('contacts', id)) crm.update('contacts', id, { firstname: s.firstname, lifecyclestage: s.stage }, API_WRITE);
          if (s.kind === 'archive' && id) crm.archive('contacts', id);
          if (s.kind === 'wait') tick(s.ms);
          // Searching between writes builds indexes early, so later writes must keep them current.
          if (s.kind === 'wait')
            search(crm, { filterGroups: [{ filters: [filter('lifecyclestage', 'EQ', 'lead'), filter('firstname', 'GT', 'a'), filter('lastmodifieddate', 'GT', '0')] }] });
        }
        const groups = q.groups.map((filters) => ({ filters }));
        const sorts = q.sort ? [q.sort] : [];
        const result = search(crm, { filterGroups: groups, sorts, after: q.after, limit: q.limit });
        const all = crm.all('contacts').filter((r) => groups.length === 0 || groups.some((g) => g.filters.every((f) => matches(r, f, lookup(crm)))));
        const expected = sortRecords(all, sorts, lookup(crm));
        expect(result.total).toBe(expected.length);
        expect(result.page.map((r) => r.id)).toEqual(expected.slice(q.after, q.after + q.limit).map((r) => r.id));
      }),
      { numRuns: 300 },
    );
  });
});
