import { InProcessRateBudget } from '../adapters/hubspot/in-process-rate-budget';
import { SharedRateBudget } from '../adapters/hubspot/shared-rate-budget';
import type { Clock } from '../app/ports/clock';
import type { PortalCredentials } from '../app/ports/portal-directory';
import { slotsFor, type RateBudget, type RateWindow, type RequestSlots } from '../app/ports/rate-budget';
import type { PortalId, Store } from '../app/ports/store-ports';

/** A portal's two HubSpot budgets: the rolling 10 s window of the API, and CRM search's own per-second limit. */
export interface HubSpotRateBudgets {
  api: RateBudget;
  search: RateBudget;
}

/** Share of the 10 s limit we allow ourselves, leaving room for the portal's other integrations. */
const API_HEADROOM = 0.9;
/** HubSpot: 5 search requests per second per account. */
const SEARCH_WINDOW: RateWindow = { maxRequests: 5, windowMs: 1_000 };

export function apiWindow(rateLimitPerTenSeconds: number): RateWindow {
  return { maxRequests: Math.max(1, Math.floor(rateLimitPerTenSeconds * API_HEADROOM)), windowMs: 10_000 };
}

/**
 * PostgreSQL means "possibly several instances": the budget lives in the database so all of them share one limit.
 * SQLite means one process per file in practice: an in-memory budget is exact there and costs no round trip.
 */
export function rateBudgetsFor(store: Store, portals: PortalCredentials[], clock: Clock): HubSpotRateBudgets {
  const limits = new Map(portals.map((portal) => [portal.portalId, portal.rateLimit]));
  const apiWindowOf = (portalId: PortalId) => apiWindow(limits.get(portalId) ?? 100);
  const searchWindowOf = () => SEARCH_WINDOW;
  if (store.dialect === 'postgres') {
    return {
      api: new SharedRateBudget({ name: 'api', store: store.rateBudgets, windowFor: apiWindowOf, clock }),
      search: new SharedRateBudget({ name: 'search', store: store.rateBudgets, windowFor: searchWindowOf, clock }),
    };
  }
  return { api: new InProcessRateBudget(apiWindowOf, clock), search: new InProcessRateBudget(searchWindowOf, clock) };
}

/** What a portal's gateway is given: its slots of both budgets. */
export function gatewaySlots(budgets: HubSpotRateBudgets, portalId: PortalId): { limiter: RequestSlots; searchLimiter: RequestSlots } {
  return { limiter: slotsFor(budgets.api, portalId), searchLimiter: slotsFor(budgets.search, portalId) };
}
