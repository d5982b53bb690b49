import type { FactEvent } from '../../core';
import type { CrmRecord } from '../ports/hubspot-port';
import { ACTIVITY_PROPERTIES as P } from './fact-properties';
import { formKindOf } from './form-kind';
import { parseHubSpotTime } from './hubspot-time';

/** A fact event with the stable key that deduplicates it across webhook, history and snapshot reads. */
export type KeyedFactEvent = FactEvent & { key: string };

/** A property change as a webhook reports it. */
export interface PropertyChange {
  propertyName: string;
  propertyValue: string;
  occurredAt: number;
}

const keyed = (event: FactEvent, discriminator = ''): KeyedFactEvent => ({
  ...event,
  key: `${event.type}:${event.at}${discriminator ? `:${discriminator}` : ''}`,
});

/** Values a property has had: its history when read with propertiesWithHistory, else its current value. */
function valuesOf(record: CrmRecord, property: string): Array<{ value: string; timestamp: number | null }> {
  const history = record.history[property];
  if (history && history.length > 0) return history;
  const current = record.properties[property];
  return current ? [{ value: current, timestamp: null }] : [];
}

function formName(record: CrmRecord, submittedAt: number, changes: PropertyChange[]): string | null {
  if (parseHubSpotTime(record.properties[P.formDate]) === submittedAt) return record.properties[P.formName] ?? null;
  // Name and date change together; take the name whose change is nearest to the submission.
  const candidates = [
    ...(record.history[P.formName] ?? []).map((h) => ({ value: h.value, at: h.timestamp })),
    ...changes.filter((c) => c.propertyName === P.formName).map((c) => ({ value: c.propertyValue, at: c.occurredAt })),
  ];
  const nearest = candidates.sort((a, b) => Math.abs(a.at - submittedAt) - Math.abs(b.at - submittedAt))[0];
  return nearest && Math.abs(nearest.at - submittedAt) < 60_000 ? nearest.value : null;
}

/**
 * The dated activity of a contact, from every source we have: the value history of its activity properties, its
 * current values, and the property changes webhooks delivered. Date-valued properties (last click, last visit,
 * last meeting booked, last form date) date the event by their value; a rating is dated by when it changed.
 */
export function contactActivityEvents(record: CrmRecord, changes: PropertyChange[] = []): KeyedFactEvent[] {
  const events = new Map<string, KeyedFactEvent>();
  const add = (e: KeyedFactEvent) => events.set(e.key, e);
  const dated: Array<[property: string, type: FactEvent['type']]> = [
    [P.emailClick, 'email_clicked'],
    [P.siteVisit, 'page_viewed'],
    [P.meetingBooked, 'meeting_booked'],
  ];
  for (const [property, type] of dated) {
    const values = [...valuesOf(record, property).map((v) => v.value), ...changes.filter((c) => c.propertyName === property).map((c) => c.propertyValue)];
    for (const value of values) {
      const at = parseHubSpotTime(value);
      if (at !== null) add(keyed({ type, at }));
    }
  }
  const formDates = [...valuesOf(record, P.formDate).map((v) => v.value), ...changes.filter((c) => c.propertyName === P.formDate).map((c) => c.propertyValue)];
  for (const value of formDates) {
    const at = parseHubSpotTime(value);
    if (at === null) continue;
    const name = formName(record, at, changes);
    add(keyed({ type: 'form_submitted', at, attrs: { formKind: formKindOf(name), formName: name } }));
  }
  const ratings = [
    ...(record.history[P.npsRating] ?? []).map((h) => ({ value: h.value, at: h.timestamp })),
    ...changes.filter((c) => c.propertyName === P.npsRating).map((c) => ({ value: c.propertyValue, at: c.occurredAt })),
  ];
  for (const rating of ratings) {
    const score = Number(rating.value);
    if (rating.value !== '' && Number.isFinite(score)) add(keyed({ type: 'nps_answered', at: rating.at, attrs: { score } }));
  }
  return [...events.values()].sort((a, b) => a.at - b.at);
}

const LOST_REASON_KEYWORDS: ReadonlyArray<[code: string, pattern: RegExp]> = [
  ['lost_to_competitor', /competit/i],
  ['no_budget', /budget/i],
  ['price', /price|pricing|expensive|cost/i],
  ['timing', /timing|later|next (year|quarter)/i],
  ['no_decision', /no decision|pause|paused|not now|stalled/i],
];

/** A deal's free-text lost reason as a reason code of the default taxonomy (rules fall back to their default). */
export function lostReasonCode(text: string | null | undefined): string | null {
  if (!text) return null;
  const slug = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  return LOST_REASON_KEYWORDS.find(([code]) => code === slug)?.[0] ?? LOST_REASON_KEYWORDS.find(([, p]) => p.test(text))?.[0] ?? slug;
}

/** A deal contributes its opening, and its win or loss, to the facts of its contacts and company. */
export function dealEvents(deal: CrmRecord): KeyedFactEvent[] {
  const p = deal.properties;
  const events: KeyedFactEvent[] = [];
  const attrs = { dealId: deal.id, dealType: p['dealtype'] ?? null };
  const createdAt = parseHubSpotTime(p['createdate']);
  if (createdAt !== null) events.push(keyed({ type: 'deal_created', at: createdAt, attrs }, deal.id));
  const closedAt = parseHubSpotTime(p['closedate']);
  const won = p['hs_is_closed_won'] === 'true' || p['dealstage'] === 'closedwon';
  const lost = !won && (p['hs_is_closed'] === 'true' || p['dealstage'] === 'closedlost');
  if (closedAt !== null && won) events.push(keyed({ type: 'deal_won', at: closedAt, attrs }, deal.id));
  if (closedAt !== null && lost) {
    events.push(keyed({ type: 'deal_lost', at: closedAt, attrs: { ...attrs, reason: p['lc_lost_reason'] || lostReasonCode(p['closed_lost_reason']) } }, deal.id));
  }
  return events;
}
