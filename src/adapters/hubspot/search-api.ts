import type { ObjectType } from '../../core';
import type { HubSpotPort, SearchPage, SearchPageRequest } from '../../app/ports/hubspot-port';
import { CRM_OBJECT_PATH } from './crm-paths';
import type { GatewaySend } from './gateway-send';

/**
 * CRM search (https://developers.hubspot.com/docs/api/crm/search). It spends the portal's search budget (5 requests
 * per second per account), not the 10-second burst.
 */
export class HubSpotSearchApi implements Pick<HubSpotPort, 'searchPage'> {
  constructor(private readonly send: GatewaySend) {}

  async searchPage(objectType: ObjectType, request: SearchPageRequest): Promise<SearchPage> {
    const response = await this.send(
      'search',
      (c) =>
        c.crm.objects.searchApi.doSearch(CRM_OBJECT_PATH[objectType], {
          filterGroups: request.filterGroups.map((filters) => ({ filters: filters.map((f) => ({ ...f, operator: f.operator as never })) })),
          // HubSpot's documented sort is an object; the SDK types it as a string.
          sorts: [request.sort as never],
          properties: request.properties,
          limit: request.limit,
          ...(request.after ? { after: request.after } : {}),
        }),
      { budget: 'search' },
    );
    return {
      records: response.results.map((r) => ({ id: r.id, properties: { ...r.properties }, history: {} })),
      total: response.total,
      after: response.paging?.next?.after ?? null,
    };
  }
}
