import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PortalId, Store } from '../../app/ports/store-ports';

export interface MetricsSources {
  store: Store;
  portals: () => PortalId[];
  now: () => number;
}

/** HubSpot's rolling window (TEN_SECONDLY_ROLLING). */
const BUDGET_WINDOW_MS = 10_000;

/**
 * The backend's Prometheus metrics: queue depths, processing lag, HubSpot calls and 429s, webhook outcomes,
 * dead letters and per-portal rate-budget use. Every series is labelled by portal, never mixed.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  readonly hubspotCalls = new Counter({
    name: 'lifecycle_hubspot_calls_total',
    help: 'HubSpot API calls by portal, operation and outcome (ok, rate_limited, server, …)',
    labelNames: ['portal', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'lifecycle_webhook_deliveries_total',
    help: 'Webhook deliveries by outcome (accepted, signature)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly quarantinedEvents = new Counter({
    name: 'lifecycle_webhook_events_quarantined_total',
    help: 'Webhook events of signed deliveries we could not use, kept in the dead letters with their raw JSON (R20)',
    labelNames: ['portal'] as const,
    registers: [this.registry],
  });
  readonly unservedPortalEvents = new Counter({
    name: 'lifecycle_unserved_portal_events_total',
    help: 'Signed webhook events for a portal this backend does not serve (acknowledged and dropped), by portal',
    labelNames: ['portal'] as const,
    registers: [this.registry],
  });
  readonly transitions = new Counter({
    name: 'lifecycle_transitions_total',
    help: 'Stage transitions decided, by portal',
    labelNames: ['portal'] as const,
    registers: [this.registry],
  });
  readonly processingLag = new Histogram({
    name: 'lifecycle_event_lag_seconds',
    help: 'From receiving a webhook event to deciding on it',
    labelNames: ['portal'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [this.registry],
  });

  /** Send times of this instance's recent HubSpot calls per portal, for the budget-use gauge. */
  private readonly recentCalls = new Map<PortalId, number[]>();

  constructor(private readonly sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'lifecycle_process_' });
    const perPortal = (read: (portalId: PortalId) => Promise<number> | number) =>
      async function collect(this: Gauge<'portal'>) {
        for (const portalId of sources.portals()) this.set({ portal: String(portalId) }, await read(portalId));
      };
    new Gauge({
      name: 'lifecycle_inbox_pending',
      help: 'Webhook events waiting to be processed',
      labelNames: ['portal'],
      registers: [this.registry],
      collect: perPortal((p) => sources.store.inbox.pendingCount(p)),
    });
    new Gauge({
      name: 'lifecycle_outbox_pending',
      help: 'HubSpot writes waiting to be delivered',
      labelNames: ['portal'],
      registers: [this.registry],
      collect: perPortal((p) => sources.store.outbox.pendingCount(p)),
    });
    new Gauge({
      name: 'lifecycle_dead_letters',
      help: 'Events and writes that failed for good and wait for `lifecycle dead-letters retry`',
      labelNames: ['portal'],
      registers: [this.registry],
      collect: perPortal(async (p) => (await sources.store.deadLetters.list(p, { limit: 100_000 })).length),
    });
    new Gauge({
      name: 'lifecycle_portal_failing_seconds',
      help: "How long the portal's oldest waiting work has been failing transiently at HubSpot (0 = healthy); alert above 900",
      labelNames: ['portal'],
      registers: [this.registry],
      collect: perPortal(async (p) => {
        const since = [await sources.store.inbox.failingSince(p), await sources.store.outbox.failingSince(p)].filter((t): t is number => t !== null);
        return since.length === 0 ? 0 : Math.max(0, (sources.now() - Math.min(...since)) / 1000);
      }),
    });
    new Gauge({
      name: 'lifecycle_rate_budget_in_window',
      help: 'HubSpot requests this instance sent to the portal in the last 10 seconds (its rolling rate-limit window)',
      labelNames: ['portal'],
      registers: [this.registry],
      collect: perPortal((p) => this.callsInWindow(p)),
    });
  }

  observeCall(call: { portalId: number; operation: string; ok: boolean; kind?: string | null }): void {
    this.hubspotCalls.inc({ portal: String(call.portalId), operation: call.operation, outcome: call.ok ? 'ok' : (call.kind ?? 'error') });
    const times = this.recentCalls.get(call.portalId) ?? [];
    times.push(this.sources.now());
    this.recentCalls.set(call.portalId, times);
    this.callsInWindow(call.portalId);
  }

  private callsInWindow(portalId: PortalId): number {
    const times = this.recentCalls.get(portalId) ?? [];
    const since = this.sources.now() - BUDGET_WINDOW_MS;
    while (times.length > 0 && times[0]! <= since) times.shift();
    return times.length;
  }
}
