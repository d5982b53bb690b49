import type { PortalId } from './store-ports';

/**
 * A portal's HubSpot request budget: at most `maxRequests` requests in any rolling `windowMs` (HubSpot's
 * TEN_SECONDLY_ROLLING policy, and CRM search's 5 per second). Whoever holds the same budget shares it: with one
 * process an in-memory one is enough; with several processes serving one portal the budget must live where all of
 * them see it (the database), or each would spend the whole limit and together they would earn 429s.
 */
export interface RateBudget {
  /** Resolves when one more request to the portal may be sent now; that request's slot is taken. */
  acquire(portalId: PortalId): Promise<void>;
  /** HubSpot answered 429: nobody sharing this budget sends to the portal until `ms` from now. */
  backOff(portalId: PortalId, ms: number): Promise<void>;
  /**
   * The request of an acquired slot has completed. HubSpot counted it when it arrived, somewhere between acquire and
   * now, so a budget that can re-stamp the slot at completion never sends into a window HubSpot still sees full.
   */
  settled(portalId: PortalId): void;
}

/** The limit a budget enforces for one portal. */
export interface RateWindow {
  maxRequests: number;
  windowMs: number;
}

/** One portal's view of a budget: what the HubSpot gateway asks before every call. */
export interface RequestSlots {
  acquire(): Promise<void>;
  backOff(ms: number): void | Promise<void>;
  /** Called once per acquired slot when its request has completed (answered, failed or timed out). */
  settled(): void;
}

export function slotsFor(budget: RateBudget, portalId: PortalId): RequestSlots {
  return {
    acquire: () => budget.acquire(portalId),
    backOff: (ms) => budget.backOff(portalId, ms),
    settled: () => budget.settled(portalId),
  };
}

/** The answer of the shared store to "may I send one more request now?". */
export type SlotGrant = { granted: true } | { granted: false; retryAt: number };

/**
 * The storage side of a budget shared by processes: one atomic step per request, so two processes can never
 * both take the last slot of a window.
 */
export interface SharedRateBudgetPort {
  /** Takes a slot of `budget` for the portal at `now` if the window has room and no back-off is running. */
  take(portalId: PortalId, budget: string, window: RateWindow, now: number): Promise<SlotGrant>;
  /** Holds every taker of `budget` for the portal until `until` (kept if a later hold is already set). */
  holdUntil(portalId: PortalId, budget: string, until: number): Promise<void>;
}
