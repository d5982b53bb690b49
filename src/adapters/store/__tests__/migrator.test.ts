import { openDatabase } from '../database';
import { migrateToLatest } from '../migrator';
import { allMigrations } from '../migrations';
import { createStore } from '../store';
import { PORTAL, T0 } from './support/fixtures';
import { describeEachDialect, StoreHarness } from './support/store-harness';
import { openStoreInProcesses } from './support/spawn-store-processes';

describeEachDialect('migrations', (harness) => {
  it('running them again is a no-op that keeps the data', async () => {
    await harness.store.cursors.set(PORTAL, 'kept', 'yes', T0);
    const database = openDatabase(harness.url, harness.options);
    try {
      await migrateToLatest(database);
      await migrateToLatest(database);
      const applied = await database.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .orderBy('name' as never)
        .execute();
      expect(applied).toEqual(
        Object.keys(allMigrations(harness.dialect))
          .sort()
          .map((name) => ({ name })),
      );
    } finally {
      await database.db.destroy();
    }
    expect(await harness.store.cursors.get(PORTAL, 'kept')).toMatchObject({ value: 'yes' });
  });

  it('several processes opening the same database at once all succeed', async () => {
    await openStoreInProcesses(harness.url, harness.options, 3);

    const markers = await Promise.all(['0', '1', '2'].map((i) => harness.store.cursors.get(1, `started-${i}`)));
    expect(markers.map((cursor) => cursor?.value)).toEqual(['0', '1', '2']);
  });
});

describe('migrations on a brand-new PostgreSQL schema', () => {
  it('two createStore calls racing to create it both succeed (advisory lock)', async () => {
    const fresh = new StoreHarness('postgres');
    const [a, b] = await Promise.all([createStore(fresh.url, fresh.options), createStore(fresh.url, fresh.options)]);
    try {
      await a.cursors.set(PORTAL, 'from-a', '1', T0);
      expect(await b.cursors.get(PORTAL, 'from-a')).toMatchObject({ value: '1' });
    } finally {
      await a.close();
      await b.close();
      fresh.db = openDatabase(fresh.url).db;
      await fresh.db.schema.dropSchema(fresh.options.pgSchema!).ifExists().cascade().execute();
      await fresh.db.destroy();
    }
  });
});
