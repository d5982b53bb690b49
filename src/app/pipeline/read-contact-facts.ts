import type { CompiledModel } from '../../core';
import { contactActivityEvents, dealEvents, type KeyedFactEvent, type PropertyChange } from '../facts/activity-events';
import { contactReadProperties, DEAL_PROPERTIES, HISTORY_PROPERTIES } from '../facts/fact-properties';
import type { CrmRecord, HubSpotPort } from '../ports/hubspot-port';
import { mergeCompanyFacts } from '../accounts/company-facts';
import { chunk } from './chunk';

/** HubSpot caps batch reads at 100 inputs, and at 50 when property history is requested. */
export const BATCH_READ_LIMIT = 100;
export const HISTORY_BATCH_READ_LIMIT = 50;
export const ASSOCIATION_BATCH_LIMIT = 1_000;

export interface ContactReading {
  record: CrmRecord;
  /** Activity and deal events derived from this read (not yet deduplicated against the store). */
  events: KeyedFactEvent[];
}

/**
 * Reads what the engine needs about contacts with as few calls as HubSpot allows: current properties for records
 * we know (their past activity is stored), value history only for records seen for the first time or whose
 * activity arrived together (`historyIds`), and the associated deals only for contacts that have any.
 */
export async function readContactFacts(input: {
  hubspot: HubSpotPort;
  model: CompiledModel;
  knownIds: string[];
  historyIds: string[];
  changes: Map<string, PropertyChange[]>;
}): Promise<{ readings: Map<string, ContactReading>; missing: string[] }> {
  const properties = contactReadProperties(input.model);
  const records: CrmRecord[] = [];
  const missing: string[] = [];
  for (const ids of chunk(input.knownIds, BATCH_READ_LIMIT)) {
    const result = await input.hubspot.batchRead('contact', ids, properties);
    records.push(...result.records);
    missing.push(...result.missing);
  }
  for (const ids of chunk(input.historyIds, HISTORY_BATCH_READ_LIMIT)) {
    const result = await input.hubspot.batchRead('contact', ids, properties, HISTORY_PROPERTIES);
    records.push(...result.records);
    missing.push(...result.missing);
  }

  await mergeCompanyFacts(input.hubspot, input.model, records);
  const withDeals = records.filter((r) => Number(r.properties['num_associated_deals'] ?? 0) > 0).map((r) => r.id);
  const dealsOf = new Map<string, string[]>();
  for (const ids of chunk(withDeals, ASSOCIATION_BATCH_LIMIT)) {
    for (const [contactId, dealIds] of await input.hubspot.associations('contact', 'deal', ids)) dealsOf.set(contactId, dealIds);
  }
  const allDealIds = [...new Set([...dealsOf.values()].flat())];
  const dealEventsById = new Map<string, KeyedFactEvent[]>();
  for (const ids of chunk(allDealIds, BATCH_READ_LIMIT)) {
    const { records: deals } = await input.hubspot.batchRead('deal', ids, DEAL_PROPERTIES);
    for (const deal of deals) dealEventsById.set(deal.id, dealEvents(deal));
  }

  const readings = new Map<string, ContactReading>();
  for (const record of records) {
    const events = [...contactActivityEvents(record, input.changes.get(record.id) ?? []), ...(dealsOf.get(record.id) ?? []).flatMap((dealId) => dealEventsById.get(dealId) ?? [])];
    readings.set(record.id, { record, events });
  }
  return { readings, missing };
}
