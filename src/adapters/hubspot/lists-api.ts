import { z } from 'zod';
import { HubSpotError } from '../../app/ports/hubspot-port';
import type { HubSpotList, HubSpotListsPort, ListFilterBranch, NewList } from '../../app/ports/hubspot-lists-port';
import type { GatewaySend } from './gateway-send';

/** HubSpot's answers, parsed loosely: it adds fields over time and we read only these. */
const ListJson = z.looseObject({
  listId: z.coerce.string(),
  listVersion: z.coerce.number(),
  name: z.string(),
  objectTypeId: z.string(),
  processingType: z.string(),
  filterBranch: z.unknown().optional(),
});

function toList(raw: unknown): HubSpotList {
  const list = ListJson.parse(raw);
  return {
    listId: list.listId,
    listVersion: list.listVersion,
    name: list.name,
    objectTypeId: list.objectTypeId,
    processingType: list.processingType,
    filterBranch: (list.filterBranch as ListFilterBranch | undefined) ?? null,
  };
}

/** The SDK's list models carry Date objects and class instances; JSON round-trip gives plain data back. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

const SEARCH_PAGE = 100;

/**
 * Lists API v3 through the SDK's typed `crm.lists` APIs (https://developers.hubspot.com/docs/api/crm/lists):
 * create, search by name, get with filters, update filters, delete, memberships. Scope: `crm.lists.read` and
 * `crm.lists.write` (see src/app-project/required-scopes.ts).
 */
export class HubSpotListsApi implements HubSpotListsPort {
  constructor(private readonly send: GatewaySend) {}

  async searchLists(query: string) {
    const found: Array<Omit<HubSpotList, 'filterBranch'>> = [];
    for (let offset = 0; ;) {
      const page = await this.send('lists_search', (c) => c.crm.lists.listsApi.doSearch({ query, count: SEARCH_PAGE, offset }));
      for (const raw of page.lists) {
        const { filterBranch: _unused, ...summary } = toList(plain(raw));
        found.push(summary);
      }
      if (!page.hasMore || page.lists.length === 0) return found;
      offset = page.offset;
    }
  }

  async getList(listId: string): Promise<HubSpotList | null> {
    try {
      const response = await this.send('list_read', (c) => c.crm.lists.listsApi.getById(listId, true));
      return toList(plain(response.list));
    } catch (error) {
      if (error instanceof HubSpotError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  async createList(list: NewList): Promise<HubSpotList> {
    const response = await this.send('list_create', (c) => c.crm.lists.listsApi.create({ ...list, filterBranch: list.filterBranch as never }));
    return toList(plain(response.list));
  }

  async updateListFilters(listId: string, filterBranch: ListFilterBranch): Promise<HubSpotList> {
    const response = await this.send('list_update_filters', (c) => c.crm.lists.listsApi.updateListFilters(listId, { filterBranch: filterBranch as never }));
    if (!response.updatedList) throw new HubSpotError('server', `HubSpot updated list ${listId} but returned no list`, null);
    return toList(plain(response.updatedList));
  }

  async deleteList(listId: string): Promise<void> {
    await this.send('list_delete', (c) => c.crm.lists.listsApi.remove(listId));
  }

  async listMembers(listId: string, after?: string) {
    const page = await this.send('list_memberships', (c) => c.crm.lists.membershipsApi.getPage(listId, after, undefined, 250));
    return { recordIds: page.results.map((r) => String(r.recordId)), after: page.paging?.next?.after ?? null };
  }
}
