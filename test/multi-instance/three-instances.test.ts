import { sql } from 'kysely';
import { allMigrations } from '../../src/adapters/store/migrations';
import { PORTAL, startCluster, type Cluster } from './support/cluster';
import { busiestWindow, contactWrites, deliveriesPerInstance } from './support/observations';

const CONTACTS = 400;
const MINUTE = 60_000;

describe('several backend instances on one PostgreSQL', () => {
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it(
    'three instances on one PostgreSQL write each HubSpot change once, lose no event and together stay within the portal’s rate limit',
    async () => {
      // A low limit, so the run needs several windows of it: three per-process budgets would send three times too much.
      const limit = 30;
      cluster = await startCluster({ instances: 3, rateLimitPerTenSeconds: limit });
      const contacts = cluster.seedContacts(CONTACTS);

      await cluster.settle(2 * MINUTE);

      const { db, sim, hubspotTap, loadBalancer, backends } = cluster;
      const stats = sim.control.stats().portals[String(PORTAL)]!;
      // Migrations ran once although three instances raced to create the schema.
      const migrations = await db
        .selectFrom('kysely_migration' as never)
        .select(sql<string>`name`.as('name'))
        .execute();
      expect(migrations.map((row) => row.name).sort()).toEqual(Object.keys(allMigrations('postgres')).sort());
      // The load balancer spread HubSpot's deliveries over all three.
      expect(
        deliveriesPerInstance(
          loadBalancer.requests,
          backends.map((backend) => backend.url),
        ).every((count) => count > 0),
      ).toBe(true);

      // No lost event: every event HubSpot sent is in the inbox once, and processed.
      const inbox = await db.selectFrom('inbox_events').select(['status']).where('portal_id', '=', PORTAL).execute();
      expect(inbox).toHaveLength(stats.webhookEvents);
      expect(inbox.every((event) => event.status === 'done')).toBe(true);
      expect(await db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);

      // Each change decided once and written to HubSpot once.
      const ledger = await db.selectFrom('ledger').select(['object_id', 'to_stage']).where('portal_id', '=', PORTAL).execute();
      expect(ledger.map((entry) => entry.object_id).sort()).toEqual([...contacts].sort());
      const writes = contactWrites(hubspotTap.requests);
      expect([...writes.keys()].sort()).toEqual([...contacts].sort());
      expect([...writes.values()].every((count) => count === 1)).toBe(true);
      const stageInHubSpot = (id: string) => sim.state.portal(PORTAL).crm.require('contacts', id).properties.get('lc_stage');
      expect(ledger.every((entry) => stageInHubSpot(entry.object_id) === entry.to_stage)).toBe(true);

      // One budget for the portal, shared by the three: never a 429, never more than the limit in any 10 s.
      expect(stats.rateLimited).toBe(0);
      expect(busiestWindow(hubspotTap.requests, 10_000)).toBeLessThanOrEqual(limit);
      expect(hubspotTap.requests.length).toBeGreaterThan(limit);
    },
    3 * MINUTE,
  );
});
