import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/store/schema';
import { PORTAL, startCluster, type Cluster } from './support/cluster';
import { contactWrites } from './support/observations';

const CONTACTS = 400;
const LEASE_MS = 5_000;
const MINUTE = 60_000;

/** Polls until the worker holds a live lease on inbox or outbox work (it is mid-round), so a kill interrupts it. */
async function untilHoldingLeases(db: Kysely<Database>, workerId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [inbox, outbox] = await Promise.all([
      db.selectFrom('inbox_events').select('id').where('status', '=', 'leased').where('lease_owner', '=', workerId).limit(1).execute(),
      db.selectFrom('outbox').select('id').where('status', '=', 'leased').where('lease_owner', '=', workerId).limit(1).execute(),
    ]);
    if (inbox.length + outbox.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${workerId} never held a lease within ${timeoutMs} ms`);
}

describe('an instance that crashes', () => {
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it(
    'killed with SIGKILL mid-run loses nothing: the other instances take its leased work over once the lease expires',
    async () => {
      // HubSpot latency keeps each round's work leased long enough to be interrupted.
      cluster = await startCluster({ instances: 3, rateLimitPerTenSeconds: 110, leaseMs: LEASE_MS, hubspotLatencyMs: 150 });
      const { db, sim, hubspotTap } = cluster;
      const [victim] = cluster.backends;
      const contacts = cluster.seedContacts(CONTACTS);

      await untilHoldingLeases(db, victim!.workerId, MINUTE);
      await victim!.kill('SIGKILL');
      const orphanedInbox = await db.selectFrom('inbox_events').select(['id', 'lease_until']).where('status', '=', 'leased').where('lease_owner', '=', victim!.workerId).execute();
      const orphanedOutbox = await db.selectFrom('outbox').select(['id', 'object_id', 'lease_until']).where('status', '=', 'leased').where('lease_owner', '=', victim!.workerId).execute();
      expect(orphanedInbox.length + orphanedOutbox.length).toBeGreaterThan(0);

      await cluster.settle(2 * MINUTE);

      // Its leased work was finished by the others, and only after its lease had run out.
      for (const orphan of orphanedInbox) {
        const event = await db.selectFrom('inbox_events').select(['status', 'completed_at', 'attempts']).where('id', '=', orphan.id).executeTakeFirstOrThrow();
        expect(event).toMatchObject({ status: 'done', attempts: expect.any(Number) });
        expect(event.attempts).toBeGreaterThanOrEqual(2);
        expect(event.completed_at).toBeGreaterThanOrEqual(orphan.lease_until!);
      }
      for (const orphan of orphanedOutbox) {
        const item = await db.selectFrom('outbox').select(['status', 'updated_at']).where('id', '=', orphan.id).executeTakeFirstOrThrow();
        expect(['done', 'superseded']).toContain(item.status);
        expect(item.updated_at).toBeGreaterThanOrEqual(orphan.lease_until!);
      }

      // No event lost, each decision recorded once, HubSpot showing what the ledger says.
      const inbox = await db.selectFrom('inbox_events').select('status').where('portal_id', '=', PORTAL).execute();
      expect(inbox).toHaveLength(sim.control.stats().portals[String(PORTAL)]!.webhookEvents);
      expect(inbox.every((event) => event.status === 'done')).toBe(true);
      expect(await db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
      const ledger = await db.selectFrom('ledger').select(['object_id', 'to_stage']).where('portal_id', '=', PORTAL).execute();
      expect(ledger.map((entry) => entry.object_id).sort()).toEqual([...contacts].sort());
      const stageInHubSpot = (id: string) => sim.state.portal(PORTAL).crm.require('contacts', id).properties.get('lc_stage');
      expect(ledger.every((entry) => stageInHubSpot(entry.object_id) === entry.to_stage)).toBe(true);

      // Every contact written; a second write only where the dead instance may have written before its ack (R11:
      // the documented idempotent case — the same values again).
      const writes = contactWrites(hubspotTap.requests);
      expect([...writes.keys()].sort()).toEqual([...contacts].sort());
      const mayRepeat = new Set(orphanedOutbox.map((item) => item.object_id));
      expect([...writes].filter(([id, count]) => count > 1 && !mayRepeat.has(id))).toEqual([]);
    },
    3 * MINUTE,
  );
});
