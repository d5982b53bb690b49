import type { PortalId } from '../ports/store-ports';

/**
 * HubSpot 429 answers per portal over a sliding window, counted by this process from the gateway's call reports
 * (the same reports /metrics counts). Memory is bounded by the window: older times are dropped on every touch.
 */
export class RateLimitTally {
  private readonly times = new Map<PortalId, number[]>();

  constructor(readonly windowMs: number = 60 * 60 * 1000) {}

  record(portalId: PortalId, at: number): void {
    const times = this.times.get(portalId) ?? [];
    times.push(at);
    this.times.set(portalId, times);
    this.drop(times, at);
  }

  count(portalId: PortalId, now: number): number {
    const times = this.times.get(portalId);
    if (!times) return 0;
    this.drop(times, now);
    return times.length;
  }

  private drop(times: number[], now: number): void {
    const since = now - this.windowMs;
    let stale = 0;
    while (stale < times.length && times[stale]! <= since) stale++;
    if (stale > 0) times.splice(0, stale);
  }
}
