import type { Kysely } from 'kysely';
import type { Database } from '../../../src/adapters/store/schema';
import { StoreHarness } from '../../../src/adapters/store/__tests__/support/store-harness';
import { subscribeSimulator } from '../../../src/main/runtime';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';
import { startBackendProcess, type BackendProcess } from './backend-processes';
import { startHttpRelay, type HttpRelay } from './http-relay';

export const PORTAL = 101;

export interface ClusterOptions {
  instances: number;
  /** The portal's HubSpot limit per rolling 10 s, enforced by the simulator and configured on every instance. */
  rateLimitPerTenSeconds: number;
  leaseMs?: number;
  /** Real latency the simulator adds to every API response (keeps work in flight long enough to be interrupted). */
  hubspotLatencyMs?: number;
}

/**
 * Several `lifecycle serve` processes on one fresh PostgreSQL schema, one HubSpot simulator, a round-robin load
 * balancer in front of the instances (the simulator's webhook target) and a tap between the instances and HubSpot.
 */
export interface Cluster {
  sim: RunningSimulator;
  backends: BackendProcess[];
  loadBalancer: HttpRelay;
  hubspotTap: HttpRelay;
  /** The shared database, read directly for assertions. */
  db: Kysely<Database>;
  /** Creates contacts in HubSpot as an import would: each one fires a creation webhook. */
  seedContacts(count: number): string[];
  /** Waits until HubSpot has nothing left to deliver and the inbox and outbox hold no open work. */
  settle(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const database = new StoreHarness('postgres');
  const sim = await startSimulator({ portals: [{ portalId: PORTAL, rateLimits: { perTenSeconds: options.rateLimitPerTenSeconds } }], webhookTimeScale: 0.001 });
  if (options.hubspotLatencyMs) sim.control.setFaults(PORTAL, { latencyMs: options.hubspotLatencyMs });
  const portal = sim.portals[0]!;
  const hubspotTap = await startHttpRelay([sim.baseUrl]);
  const loadBalancer = await startHttpRelay();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    DATABASE_SCHEMA: database.options.pgSchema!,
    HUBSPOT_ACCESS_TOKEN: portal.accessTokens[0]!,
    HUBSPOT_PORTAL_ID: String(portal.portalId),
    HUBSPOT_CLIENT_SECRET: portal.clientSecret,
    HUBSPOT_API_BASE_URL: hubspotTap.url,
    HUBSPOT_RATE_LIMIT: String(options.rateLimitPerTenSeconds),
    PUBLIC_BASE_URL: loadBalancer.url,
    ...(options.leaseMs ? { LEASE_MS: String(options.leaseMs) } : {}),
  };
  // All at once, against a schema that does not exist yet: the instances race to create and migrate it.
  const backends = await Promise.all(Array.from({ length: options.instances }, () => startBackendProcess(env)));
  loadBalancer.setTargets(backends.map((backend) => backend.url));
  subscribeSimulator(sim, loadBalancer.url);
  await database.start();

  const openWork = async () => (await database.store.inbox.pendingCount(PORTAL)) + (await database.store.outbox.pendingCount(PORTAL));
  let nextContact = 0;

  return {
    sim,
    backends,
    loadBalancer,
    hubspotTap,
    db: database.db,
    seedContacts(count) {
      const records = Array.from({ length: count }, () => {
        const n = nextContact++;
        return { email: `person${n}@acme.test`, firstname: `Person ${n}` };
      });
      return sim.control.seed(PORTAL, 'contacts', records);
    },
    async settle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let quietChecks = 0;
      // Our own writes can fire webhooks again, so "done" means quiet twice in a row.
      while (quietChecks < 2) {
        if (Date.now() > deadline) throw new Error(`the cluster did not settle within ${timeoutMs} ms:\n${backends.map((b) => b.output()).join('\n')}`);
        await sim.idle();
        quietChecks = (await openWork()) === 0 ? quietChecks + 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    },
    async stop() {
      await Promise.all(backends.map((backend) => backend.kill('SIGTERM')));
      await loadBalancer.stop();
      await hubspotTap.stop();
      await sim.stop();
      await database.stop();
    },
  };
}
