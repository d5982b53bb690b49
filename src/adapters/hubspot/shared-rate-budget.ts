import type { Clock } from '../../app/ports/clock';
import type { RateBudget, RateWindow, SharedRateBudgetPort } from '../../app/ports/rate-budget';
import type { PortalId } from '../../app/ports/store-ports';
import { LearntCapacity } from './learnt-capacity';

/**
 * A slot is stamped when it is taken, but the request reaches HubSpot a little later (the commit, the network) and
 * after a different delay on each instance. Holding every slot this much longer than HubSpot's window keeps those
 * delays from squeezing two windows' worth of requests into one of HubSpot's (2 % of a 10 s window).
 */
export const SEND_DELAY_GUARD_MS = 200;

export interface SharedRateBudgetOptions {
  /** Which of the portal's budgets this is ("api", "search"): each has its own window and back-off. */
  name: string;
  store: SharedRateBudgetPort;
  windowFor: (portalId: PortalId) => RateWindow;
  clock: Clock;
}

/**
 * A budget every backend instance on the same database shares: each request takes its slot in the database, so
 * three instances together stay within the portal's limit, and a 429 seen by one holds all of them.
 */
export class SharedRateBudget implements RateBudget {
  /** Per portal, as learnt from the 429s this instance saw (R28); the hold of a 429 is shared through the store. */
  private readonly learnt = new Map<PortalId, LearntCapacity>();

  constructor(private readonly options: SharedRateBudgetOptions) {}

  async acquire(portalId: PortalId): Promise<void> {
    const { store, name, clock } = this.options;
    for (;;) {
      const now = clock.now();
      const window = this.options.windowFor(portalId);
      const maxRequests = this.learntOf(portalId, window).now(window.maxRequests);
      const grant = await store.take(portalId, name, { maxRequests, windowMs: window.windowMs + SEND_DELAY_GUARD_MS }, now);
      if (grant.granted) return;
      // Sleep until the slot frees; if another instance takes it first, the next take says how long to wait again.
      await clock.sleep(Math.max(1, grant.retryAt - now));
    }
  }

  backOff(portalId: PortalId, ms: number): Promise<void> {
    const window = this.options.windowFor(portalId);
    this.learntOf(portalId, window).rateLimited(window.maxRequests);
    return this.options.store.holdUntil(portalId, this.options.name, this.options.clock.now() + ms);
  }

  private learntOf(portalId: PortalId, window: RateWindow): LearntCapacity {
    let learnt = this.learnt.get(portalId);
    if (!learnt) {
      learnt = new LearntCapacity(this.options.clock, window.windowMs);
      this.learnt.set(portalId, learnt);
    }
    return learnt;
  }

  /** Re-stamping a slot would cost a database write per request; SEND_DELAY_GUARD_MS covers the delay instead. */
  settled(): void {}
}
