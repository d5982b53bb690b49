import { scanById } from '../backfill/contact-id-scan';
import type { Clock } from '../ports/clock';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { RecordFilter } from './record-filter';
import type { ReportObjectType } from './report-request';

/** The HubSpot property that names a record's owner. */
export const OWNER_PROPERTY = 'hubspot_owner_id';

/**
 * The records one owner holds now, read from HubSpot's search (on its own budget, paged by hs_object_id past the
 * 10,000-result cap): an owner's funnel is about the records they are responsible for today, which HubSpot knows
 * and the ledger does not. About one search call per 200 records.
 */
export async function recordsOwnedBy(deps: { hubspot: HubSpotPort; clock: Clock }, objectType: ReportObjectType, ownerId: string): Promise<RecordFilter> {
  const objectIds = new Set<string>();
  const pages = scanById({
    hubspot: deps.hubspot,
    clock: deps.clock,
    objectType,
    properties: [OWNER_PROPERTY],
    afterId: null,
    filters: [{ propertyName: OWNER_PROPERTY, operator: 'EQ', value: ownerId }],
  });
  for await (const page of pages) for (const record of page.records) objectIds.add(record.id);
  return { objectIds };
}

type OwnerLookup = (portalId: number, objectType: ReportObjectType, ownerId: string) => Promise<RecordFilter>;

/**
 * Remembers each owner's records for `ttlMs`: the dashboard asks for the funnel and the stock series of the same
 * owner at once, and re-asks when a date changes; one search pass serves them all. A failed lookup is not kept.
 */
export function cachedOwnerLookup(lookup: OwnerLookup, clock: Pick<Clock, 'now'>, ttlMs = 60_000): OwnerLookup {
  const cache = new Map<string, { at: number; records: Promise<RecordFilter> }>();
  return (portalId, objectType, ownerId) => {
    const key = `${portalId}:${objectType}:${ownerId}`;
    const now = clock.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < ttlMs) return hit.records;
    for (const [k, v] of cache) if (now - v.at >= ttlMs) cache.delete(k);
    const records = lookup(portalId, objectType, ownerId);
    cache.set(key, { at: now, records });
    records.catch(() => cache.delete(key));
    return records;
  };
}
