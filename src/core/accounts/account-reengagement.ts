import { DAY_MS } from '../engine/time';

/** A dated fact of one of the company's contacts, as stored (the subset this rule reads). */
export interface AccountFact {
  type: string;
  at: number;
  attrs?: Record<string, unknown> | undefined;
}

export interface LostDealReturn {
  dealId: string;
  lostAt: number;
  /** The lost reason code the deal carried (lc_lost_reason or the mapped closed-lost reason), if any. */
  reason: string | null;
  /** The first visit of one of the company's people after the loss, within the window. */
  visitAt: number;
}

/**
 * Account re-engagement (lifecycle-model.md, account-based view): a company that lost a deal and whose people come
 * back to the site within `windowDays` of the loss is news for sales. One answer per lost deal: its first return
 * visit. `fresh` are the facts that arrived now; a return is reported only when its first visit is one of them, so
 * the same return is never reported twice, whichever contact made it and however often the company is re-derived.
 */
export function lostDealReturns(stored: readonly AccountFact[], fresh: readonly AccountFact[], windowDays: number): LostDealReturn[] {
  const all = [...stored, ...fresh];
  const freshVisits = new Set(fresh.filter((e) => e.type === 'page_viewed').map((e) => e.at));
  const visits = all
    .filter((e) => e.type === 'page_viewed')
    .map((e) => e.at)
    .sort((a, b) => a - b);
  const lost = new Map<string, { lostAt: number; reason: string | null }>();
  for (const e of all) {
    const dealId = e.attrs?.['dealId'];
    if (e.type !== 'deal_lost' || typeof dealId !== 'string') continue;
    const reason = e.attrs?.['reason'];
    const known = lost.get(dealId);
    if (!known || e.at > known.lostAt) lost.set(dealId, { lostAt: e.at, reason: typeof reason === 'string' && reason !== '' ? reason : null });
  }
  const returns: LostDealReturn[] = [];
  for (const [dealId, { lostAt, reason }] of [...lost].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const first = visits.find((at) => at > lostAt);
    if (first === undefined || first > lostAt + windowDays * DAY_MS || !freshVisits.has(first)) continue;
    returns.push({ dealId, lostAt, reason, visitAt: first });
  }
  return returns;
}
