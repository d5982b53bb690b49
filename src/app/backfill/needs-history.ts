import { HISTORY_PROPERTIES } from '../facts/fact-properties';
import type { CrmRecord } from '../ports/hubspot-port';

/**
 * Whether a contact seen for the first time has a past worth a history read (50 per call instead of a free ride on
 * the search page): some activity property has a value, or it has deals. A contact with neither has no dated
 * event; the engine dates its entry and dead-end rules at its creation, so its search-page values are enough.
 */
export function hasHistoryToReplay(record: CrmRecord): boolean {
  return HISTORY_PROPERTIES.some((p) => Boolean(record.properties[p])) || Number(record.properties['num_associated_deals'] ?? 0) > 0;
}
