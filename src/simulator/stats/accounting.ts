/**
 * Counters the tests and benchmarks read: API calls per endpoint and per portal, 429s and 5xx served,
 * webhook deliveries/retries/failures and workflow executions. Endpoints are keyed by method and path with
 * numeric segments folded to `{id}` (e.g. `PATCH /crm/v3/objects/contacts/{id}`).
 */
export interface PortalStats {
  calls: number;
  byEndpoint: Record<string, number>;
  rateLimited: number;
  rateLimitedByPolicy: Record<string, number>;
  serverErrors: number;
  clientErrors: number;
  webhookDeliveries: number;
  webhookRetries: number;
  webhookFailures: number;
  webhookEvents: number;
  workflowExecutions: number;
  callbacksCompleted: number;
}

export interface StatsSnapshot {
  totals: PortalStats;
  portals: Record<string, PortalStats>;
}

const empty = (): PortalStats => ({
  calls: 0,
  byEndpoint: {},
  rateLimited: 0,
  rateLimitedByPolicy: {},
  serverErrors: 0,
  clientErrors: 0,
  webhookDeliveries: 0,
  webhookRetries: 0,
  webhookFailures: 0,
  webhookEvents: 0,
  workflowExecutions: 0,
  callbacksCompleted: 0,
});

export function endpointKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
}

export class Accounting {
  private portals = new Map<number, PortalStats>();

  recordCall(portalId: number, method: string, path: string, status: number, policyName?: string): void {
    const stats = this.of(portalId);
    stats.calls += 1;
    const key = endpointKey(method, path);
    stats.byEndpoint[key] = (stats.byEndpoint[key] ?? 0) + 1;
    if (status === 429) {
      stats.rateLimited += 1;
      if (policyName) stats.rateLimitedByPolicy[policyName] = (stats.rateLimitedByPolicy[policyName] ?? 0) + 1;
    } else if (status >= 500) stats.serverErrors += 1;
    else if (status >= 400) stats.clientErrors += 1;
  }

  bump(portalId: number, counter: Exclude<keyof PortalStats, 'byEndpoint' | 'rateLimitedByPolicy'>, by = 1): void {
    this.of(portalId)[counter] += by;
  }

  snapshot(): StatsSnapshot {
    const totals = empty();
    const portals: Record<string, PortalStats> = {};
    for (const [portalId, stats] of this.portals) {
      portals[String(portalId)] = structuredClone(stats);
      for (const [key, value] of Object.entries(stats) as Array<[keyof PortalStats, PortalStats[keyof PortalStats]]>) {
        if (typeof value === 'number') (totals[key] as number) += value;
        else for (const [k, n] of Object.entries(value)) (totals[key] as Record<string, number>)[k] = ((totals[key] as Record<string, number>)[k] ?? 0) + n;
      }
    }
    return { totals, portals };
  }

  reset(): void {
    this.portals = new Map();
  }

  private of(portalId: number): PortalStats {
    const existing = this.portals.get(portalId);
    if (existing) return existing;
    const created = empty();
    this.portals.set(portalId, created);
    return created;
  }
}
