import type { CompiledModel } from '../../core';
import { contactActivityEvents, dealEvents, type KeyedFactEvent } from '../facts/activity-events';
import { DEAL_PROPERTIES, HISTORY_PROPERTIES } from '../facts/fact-properties';
import { mergeCompanyFacts } from '../accounts/company-facts';
import { chunk } from '../pipeline/chunk';
import { ASSOCIATION_BATCH_LIMIT, BATCH_READ_LIMIT, HISTORY_BATCH_READ_LIMIT, type ContactReading } from '../pipeline/read-contact-facts';
import type { Clock } from '../ports/clock';
import type { CrmRecord, HubSpotPort } from '../ports/hubspot-port';
import { retryTransient } from './retry-transient';
import { scanProperties } from './contact-read-properties';

/**
 * Reads contacts with their value history — the activity properties, whose every past value is a dated event, and
 * the native lifecycle stage, which dates criteria on it — plus the deals they are associated with. Callers pass
 * every id of a commit unit at once, so history reads fill HubSpot's 50-input cap and association and deal reads
 * their 1,000 and 100 caps across search pages.
 */
export async function readContactHistory(input: {
  hubspot: HubSpotPort;
  clock: Clock;
  model: CompiledModel;
  ids: string[];
}): Promise<{ readings: Map<string, ContactReading>; missing: string[] }> {
  const properties = scanProperties(input.model);
  const withHistory = [...new Set([...HISTORY_PROPERTIES, input.model.nativeProperty])];
  const records: CrmRecord[] = [];
  const missing: string[] = [];
  for (const ids of chunk(input.ids, HISTORY_BATCH_READ_LIMIT)) {
    const result = await retryTransient(input.clock, () => input.hubspot.batchRead('contact', ids, properties, withHistory));
    records.push(...result.records);
    missing.push(...result.missing);
  }

  await retryTransient(input.clock, () => mergeCompanyFacts(input.hubspot, input.model, records));
  const withDeals = records.filter((r) => Number(r.properties['num_associated_deals'] ?? 0) > 0).map((r) => r.id);
  const dealsOf = new Map<string, string[]>();
  for (const ids of chunk(withDeals, ASSOCIATION_BATCH_LIMIT)) {
    for (const [contactId, dealIds] of await retryTransient(input.clock, () => input.hubspot.associations('contact', 'deal', ids))) dealsOf.set(contactId, dealIds);
  }
  const dealEventsById = new Map<string, KeyedFactEvent[]>();
  for (const ids of chunk([...new Set([...dealsOf.values()].flat())], BATCH_READ_LIMIT)) {
    for (const deal of (await retryTransient(input.clock, () => input.hubspot.batchRead('deal', ids, DEAL_PROPERTIES))).records) dealEventsById.set(deal.id, dealEvents(deal));
  }

  const readings = new Map<string, ContactReading>();
  for (const record of records) {
    const events = [...contactActivityEvents(record), ...(dealsOf.get(record.id) ?? []).flatMap((dealId) => dealEventsById.get(dealId) ?? [])];
    readings.set(record.id, { record, events });
  }
  return { readings, missing };
}
