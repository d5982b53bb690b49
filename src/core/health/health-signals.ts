import type { FactEvent, Facts } from '../engine/facts';
import type { EventType } from '../model/criteria-schema';
import type { ChurnSignal, Engagement } from './health-input';

/** Events that show a person paying attention; deal and churn events are scored by their own components. */
export const ENGAGEMENT_EVENTS: readonly EventType[] = ['email_clicked', 'page_viewed', 'form_submitted', 'meeting_booked', 'nps_answered'];

/** The latest instant of each engagement activity among the contacts' events, ordered by activity name. */
export function engagementFromEvents(events: readonly FactEvent[]): Engagement[] {
  const latest = new Map<string, number>();
  for (const e of events) {
    if (ENGAGEMENT_EVENTS.includes(e.type)) latest.set(e.type, Math.max(e.at, latest.get(e.type) ?? -Infinity));
  }
  return [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([activity, at]) => ({ activity, at }));
}

/**
 * Churn signals in a record's facts: customer_lost events, and lc_churned = "true" dated when it changed (or when
 * the facts were read, the earliest we know it was true).
 */
export function churnSignalsFromFacts(facts: Facts): ChurnSignal[] {
  const signals: ChurnSignal[] = facts.events.filter((e) => e.type === 'customer_lost').map((e) => ({ source: 'customer_lost', at: e.at }));
  const changedAt = facts.propertyChangedAt?.lc_churned ?? facts.observedAt;
  if (facts.properties.lc_churned === 'true' && changedAt !== undefined) signals.push({ source: 'lc_churned', at: changedAt });
  return signals;
}
