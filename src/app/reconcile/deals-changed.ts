import { chunk } from '../pipeline/chunk';
import { ASSOCIATION_BATCH_LIMIT } from '../pipeline/read-contact-facts';
import type { Clock } from '../ports/clock';
import type { HubSpotPort, SearchFilter } from '../ports/hubspot-port';
import { retryTransient } from '../backfill/retry-transient';
import { scanById } from '../backfill/contact-id-scan';

/**
 * Contacts of deals modified in the window. A deal won or lost does not modify its contacts in HubSpot, so a sweep
 * of contacts alone would never see the drift of a missed deal webhook.
 */
export async function contactsOfChangedDeals(hubspot: HubSpotPort, clock: Clock, window: SearchFilter[]): Promise<string[]> {
  const dealIds: string[] = [];
  for await (const page of scanById({ hubspot, clock, objectType: 'deal', properties: ['hs_object_id'], afterId: null, filters: window })) {
    dealIds.push(...page.records.map((r) => r.id));
  }
  const contacts = new Set<string>();
  for (const ids of chunk(dealIds, ASSOCIATION_BATCH_LIMIT)) {
    for (const contactIds of (await retryTransient(clock, () => hubspot.associations('deal', 'contact', ids))).values()) contactIds.forEach((id) => contacts.add(id));
  }
  return [...contacts];
}
