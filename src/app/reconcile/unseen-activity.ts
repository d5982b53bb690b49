import { contactActivityEvents, type KeyedFactEvent } from '../facts/activity-events';
import { ACTIVITY_PROPERTIES } from '../facts/fact-properties';
import type { CrmRecord } from '../ports/hubspot-port';

/**
 * Whether a known contact's current values show activity we never stored — the trace of webhooks that never came.
 * Only then is its value history worth a read (it recovers every event of the outage, not just the latest value).
 * An NPS rating is dated by its change, which the current value cannot tell, so a rating that differs from the
 * last one we stored counts as unseen too.
 */
export function hasUnseenActivity(record: CrmRecord, stored: KeyedFactEvent[]): boolean {
  const known = new Set(stored.map((e) => e.key));
  if (contactActivityEvents(record).some((e) => !known.has(e.key))) return true;
  const rating = record.properties[ACTIVITY_PROPERTIES.npsRating];
  if (!rating) return false;
  const lastStored = stored
    .filter((e) => e.type === 'nps_answered')
    .sort((a, b) => a.at - b.at)
    .at(-1);
  return lastStored?.attrs?.['score'] !== Number(rating);
}

/**
 * Whether a contact's latest activity falls inside the sweep window: then the window may hold more activity than the
 * current values show (several visits, of which webhooks delivered only some, or one round saw only the latest), and
 * only the value history can tell (R23). Contacts active before the window need no history read.
 */
export function hasActivitySince(record: CrmRecord, since: number): boolean {
  return contactActivityEvents(record).some((e) => e.at > since);
}
