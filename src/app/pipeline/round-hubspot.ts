import type { ObjectType } from '../../core';
import type { HubSpotPort } from '../ports/hubspot-port';

/**
 * A portal's HubSpot for one round of work: association reads are remembered for the round, so the contacts'
 * companies read for their facts (target account) are not read again for the company journeys of the same round.
 * Everything else goes straight through.
 */
export function roundHubSpot(port: HubSpotPort): HubSpotPort {
  const known = new Map<string, Map<string, string[]>>();
  return {
    portalId: port.portalId,
    batchRead: (...args) => port.batchRead(...args),
    batchUpdate: (...args) => port.batchUpdate(...args),
    createTasks: (...args) => port.createTasks(...args),
    searchPage: (...args) => port.searchPage(...args),
    propertyOptions: (...args) => port.propertyOptions(...args),
    completeCallback: (...args) => port.completeCallback(...args),
    async associations(from: ObjectType, to: ObjectType, ids: string[]) {
      const memo = known.get(`${from}>${to}`) ?? new Map<string, string[]>();
      known.set(`${from}>${to}`, memo);
      const missing = [...new Set(ids.filter((id) => !memo.has(id)))];
      if (missing.length > 0) for (const [id, associated] of await port.associations(from, to, missing)) memo.set(id, associated);
      return new Map(ids.map((id) => [id, memo.get(id) ?? []]));
    },
  };
}
