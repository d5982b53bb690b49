import type { ObjectType } from '../../core';
import type { HubSpotPort } from '../../app/ports/hubspot-port';
import { CRM_OBJECT_PATH } from './crm-paths';
import type { GatewaySend } from './gateway-send';

/** Associations v4 batch reads (https://developers.hubspot.com/docs/api/crm/associations; ≤ 1,000 ids a call). */
export class HubSpotAssociationsApi implements Pick<HubSpotPort, 'associations'> {
  constructor(private readonly send: GatewaySend) {}

  async associations(from: ObjectType, to: ObjectType, ids: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return result;
    const response = await this.send('associations_batch_read', (c) =>
      c.crm.associations.v4.batchApi.getPage(CRM_OBJECT_PATH[from], CRM_OBJECT_PATH[to], { inputs: ids.map((id) => ({ id })) }),
    );
    for (const row of response.results) {
      result.set(
        row._from.id,
        row.to.map((t) => String(t.toObjectId)),
      );
    }
    return result;
  }
}
