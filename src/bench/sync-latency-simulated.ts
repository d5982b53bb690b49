import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from '../adapters/store';
import { SimulatedClock } from '../app/ports/clock';
import { defaultModel } from '../core';
import { startBackend } from '../main/backend';
import { createLogger } from '../main/logger';
import { alignAll, modelPerPortal, provisionAll, subscribeSimulator, type HubSpotTarget } from '../main/runtime';
import { RATE_LIMIT_TIERS, startSimulator } from '../simulator';
import { percentile } from './http-load';

export interface SimulatedSteadyResult {
  events: number;
  writtenBack: number;
  p50: number;
  p99: number;
  max: number;
  callsPerSecond: number;
}

/**
 * B9's steady stream on a simulated clock: the worker, the store and the simulator take no time, so what is left is
 * what the rate budget and the worker loop's pacing make an event wait — the latency of an infinitely fast, quiet
 * machine, which no other engineer's load distorts. The worker loop is played turn by turn (PipelineRunner.step):
 * between turns the clock jumps to the end of the loop's sleep, or to the next webhook when it would wake the loop.
 */
export async function steadyOnSimulatedClock(options: { portalId: number; ratePerSecond: number; seconds: number }): Promise<SimulatedSteadyResult> {
  const { portalId, ratePerSecond, seconds } = options;
  const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 9));
  const sim = await startSimulator({ clock, portals: [{ portalId, tier: 'public' }] });
  const folder = mkdtempSync(path.join(tmpdir(), 'lc-bench-b9-sim-'));
  const store = await createStore(`sqlite:${path.join(folder, 'b9.db')}`);
  const logger = createLogger('silent');
  const model = defaultModel();
  const portals = sim.portals.map((p) => ({ portalId: p.portalId, accessToken: p.accessTokens[0]!, clientSecrets: [p.clientSecret], rateLimit: RATE_LIMIT_TIERS.public.perTenSeconds }));
  const target: HubSpotTarget = { baseUrl: sim.baseUrl, portals, simulator: sim };
  await provisionAll(target, model, clock);
  const modelFor = modelPerPortal(await alignAll(target, model, { store, clock, logger }), model);
  // The set-up's calls leave the rolling window before the stream starts.
  clock.advance(20_000);
  const backend = await startBackend({ store, model: modelFor, hubspotBaseUrl: sim.baseUrl, portals, clock, logger, port: 0, runWorker: false });
  subscribeSimulator(sim, backend.url);
  const written = new Map<string, number>();
  const dispatcher = sim.state.webhooks;
  const publish = dispatcher.publish.bind(dispatcher);
  dispatcher.publish = (portal, change) => {
    if (change.kind === 'propertyChange' && change.propertyName === 'lc_stage' && !written.has(change.objectId)) written.set(change.objectId, clock.now());
    publish(portal, change);
  };
  const tickMs = 20;
  const perTick = (ratePerSecond * tickMs) / 1000;
  const total = ratePerSecond * seconds;
  const events: Array<{ id: string; at: number }> = [];
  const startedAt = clock.now();
  const callsBefore = totalCalls(sim, portalId);
  let nextTick = startedAt;
  let serial = 0;
  try {
    // Bounded: a stream the worker cannot keep up with ends 10 simulated minutes after the last event.
    while ((events.length < total || events.some((e) => !written.has(e.id))) && clock.now() < startedAt + (seconds + 600) * 1000) {
      // The changes due by now, each stamped with the moment it was due.
      while (nextTick <= clock.now() && events.length < total) {
        const ids = sim.control.seed(
          portalId,
          'contacts',
          Array.from({ length: perTick }, () => ({ email: `b9-sim-${serial++}@example.test` })),
        );
        for (const id of ids) events.push({ id, at: nextTick });
        nextTick += tickMs;
      }
      await sim.idle();
      const sleepMs = await backend.runner.step();
      if (sleepMs === 0) continue;
      const now = clock.now();
      const wakeAt = backend.runner.wakesOnNotify() && events.length < total ? Math.min(now + sleepMs, nextTick) : now + sleepMs;
      clock.set(Math.max(now + 1, wakeAt));
    }
    const latencies = events
      .filter((e) => written.has(e.id))
      .map((e) => written.get(e.id)! - e.at)
      .sort((a, b) => a - b);
    return {
      events: events.length,
      writtenBack: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
      callsPerSecond: (totalCalls(sim, portalId) - callsBefore) / ((clock.now() - startedAt) / 1000),
    };
  } finally {
    await backend.stop();
    await sim.stop();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

function totalCalls(sim: Awaited<ReturnType<typeof startSimulator>>, portalId: number): number {
  return Object.values(sim.control.stats().portals[String(portalId)]!.byEndpoint).reduce((sum, n) => sum + n, 0);
}
