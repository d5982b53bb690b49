import { ENGAGEMENT_EVENTS, type AccountHealthInput, type Deal, type FactEvent, type LedgerEntry, type LifecycleState, type SatisfactionAnswer } from '../../core';

export interface StoredRecord {
  state: LifecycleState;
  history: LedgerEntry[];
  events: FactEvent[];
}

/**
 * The health input of an account from what the store holds for its records: their states and ledgers, and the
 * activity the worker already saved as fact events (deals, survey answers, engagement, churn). Nothing here comes
 * from HubSpot at read time.
 */
export function accountHealthInput(company: StoredRecord | null, contacts: StoredRecord[]): AccountHealthInput {
  const records = company ? [company, ...contacts] : contacts;
  const events = records.flatMap((r) => r.events);
  return {
    company: company ? { state: company.state, history: company.history } : null,
    contacts: contacts.map((c) => ({ state: c.state, history: c.history })),
    deals: dealsFromEvents(events),
    // Every dated engagement, not just the latest per kind: the trend rescores the account as it stood days ago.
    engagement: events.filter((e) => ENGAGEMENT_EVENTS.includes(e.type)).map((e) => ({ activity: e.type, at: e.at })),
    satisfaction: events.flatMap(satisfactionAnswer),
    churnSignals: events.filter((e) => e.type === 'customer_lost').map((e) => ({ source: 'customer_lost', at: e.at })),
  };
}

/**
 * Deals as the contacts' deal events describe them (one contact's events can repeat another's: keyed by deal id).
 * The amount is not part of the events, so it is unknown here.
 */
export function dealsFromEvents(events: readonly FactEvent[]): Deal[] {
  const deals = new Map<string, { createdAt: number | null; closedAt: number | null; status: Deal['status']; dealType: string | null }>();
  for (const e of events) {
    const dealId = e.attrs?.['dealId'];
    if (typeof dealId !== 'string' || !['deal_created', 'deal_won', 'deal_lost'].includes(e.type)) continue;
    const deal = deals.get(dealId) ?? { createdAt: null, closedAt: null, status: 'open' as Deal['status'], dealType: null };
    const dealType = e.attrs?.['dealType'];
    if (typeof dealType === 'string') deal.dealType = dealType;
    if (e.type === 'deal_created') deal.createdAt = Math.min(deal.createdAt ?? e.at, e.at);
    else {
      deal.status = e.type === 'deal_won' ? 'won' : 'lost';
      deal.closedAt = e.at;
    }
    deals.set(dealId, deal);
  }
  return [...deals].map(([id, d]) => {
    const closedAt = d.status === 'open' ? null : d.closedAt;
    // A deal first seen closed: created no later than it closed (the schema refuses a close before creation).
    const createdAt = Math.min(d.createdAt ?? closedAt ?? 0, closedAt ?? Infinity);
    return { id, createdAt, closedAt, status: d.status, dealType: d.dealType, amount: null };
  });
}

/**
 * nps_answered events carry an NPS answer (0-10) unless marked kind "csat" (1-5) by the survey workflow action.
 * Scores outside their scale are left out rather than failing the whole card.
 */
function satisfactionAnswer(e: FactEvent): SatisfactionAnswer[] {
  if (e.type !== 'nps_answered') return [];
  const score = e.attrs?.['score'];
  if (typeof score !== 'number' || !Number.isInteger(score)) return [];
  if (e.attrs?.['kind'] === 'csat') return score >= 1 && score <= 5 ? [{ kind: 'csat', score, at: e.at }] : [];
  return score >= 0 && score <= 10 ? [{ kind: 'nps', score, at: e.at }] : [];
}
