import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../../store';
import type { Store } from '../../../app/ports/store-ports';
import { PrometheusMetrics } from '../prometheus-metrics';

describe('Prometheus metrics', () => {
  let folder: string;
  let store: Store;
  beforeEach(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'metrics-'));
    store = await createStore(`sqlite:${path.join(folder, 'm.db')}`);
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const event = (n: number) => ({
    dedupKey: `k${n}`,
    eventId: String(n),
    subscriptionType: 'object.creation',
    objectType: 'contact' as const,
    objectId: String(n),
    propertyName: null,
    propertyValue: null,
    changeSource: 'CRM',
    occurredAt: 1,
    attemptNumber: 0,
    payload: '{}',
  });

  it('reports queue depths and rate-budget use per portal, never mixing portals', async () => {
    await store.inbox.insertMany(101, [event(1), event(2)], 10);
    await store.inbox.insertMany(202, [event(3)], 10);
    let now = 1_000_000;
    const metrics = new PrometheusMetrics({ store, portals: () => [101, 202], now: () => now });
    for (let i = 0; i < 42; i++) metrics.observeCall({ portalId: 101, operation: 'batch_read', ok: true });
    now += 9_000;
    const text = await metrics.registry.metrics();
    expect(text).toContain('lifecycle_inbox_pending{portal="101"} 2');
    expect(text).toContain('lifecycle_inbox_pending{portal="202"} 1');
    expect(text).toContain('lifecycle_outbox_pending{portal="101"} 0');
    expect(text).toContain('lifecycle_rate_budget_in_window{portal="101"} 42');
    expect(text).toContain('lifecycle_rate_budget_in_window{portal="202"} 0');
    expect(text).toContain('lifecycle_dead_letters{portal="202"} 0');
    now += 2_000;
    expect(await metrics.registry.metrics()).toContain('lifecycle_rate_budget_in_window{portal="101"} 0');
  });

  it('counts HubSpot calls by outcome, so 429s are visible per portal', async () => {
    const metrics = new PrometheusMetrics({ store, portals: () => [101], now: () => 0 });
    metrics.observeCall({ portalId: 101, operation: 'batch_update', ok: true });
    metrics.observeCall({ portalId: 101, operation: 'batch_update', ok: false, kind: 'rate_limited' });
    metrics.observeCall({ portalId: 101, operation: 'batch_update', ok: false, kind: 'rate_limited' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('lifecycle_hubspot_calls_total{portal="101",operation="batch_update",outcome="ok"} 1');
    expect(text).toContain('lifecycle_hubspot_calls_total{portal="101",operation="batch_update",outcome="rate_limited"} 2');
  });
});
