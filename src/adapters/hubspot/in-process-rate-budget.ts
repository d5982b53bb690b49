import type { Clock } from '../../app/ports/clock';
import type { RateBudget, RateWindow } from '../../app/ports/rate-budget';
import type { PortalId } from '../../app/ports/store-ports';
import { RollingWindowLimiter } from './rolling-window-limiter';

/**
 * A budget held in this process's memory: right when this process is the only one calling HubSpot for its portals
 * (the SQLite set-up), and free of any database round trip.
 */
export class InProcessRateBudget implements RateBudget {
  private readonly limiters = new Map<PortalId, RollingWindowLimiter>();

  constructor(
    private readonly windowFor: (portalId: PortalId) => RateWindow,
    private readonly clock: Clock,
  ) {}

  acquire(portalId: PortalId): Promise<void> {
    return this.limiterOf(portalId).acquire();
  }

  async backOff(portalId: PortalId, ms: number): Promise<void> {
    this.limiterOf(portalId).backOff(ms);
  }

  settled(portalId: PortalId): void {
    this.limiterOf(portalId).settled();
  }

  private limiterOf(portalId: PortalId): RollingWindowLimiter {
    let limiter = this.limiters.get(portalId);
    if (limiter === undefined) {
      // The window already carries our headroom, so the limiter must not take another share off it.
      limiter = new RollingWindowLimiter({ ...this.windowFor(portalId), headroom: 1 }, this.clock);
      this.limiters.set(portalId, limiter);
    }
    return limiter;
  }
}
