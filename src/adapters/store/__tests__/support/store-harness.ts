import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Store } from '../../../../app/ports/store-ports';
import { openDatabase, type StoreDialect } from '../../database';
import type { Database } from '../../schema';
import { createStore, type StoreOptions } from '../../store';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const DIALECTS: StoreDialect[] = ['sqlite', 'postgres'];

/**
 * One database per test file and dialect: a temp SQLite file, or a fresh PostgreSQL schema (dropped afterwards;
 * no other schema is touched). `store` is opened before the tests; `openAnother()` opens a second store on the same
 * database (another "process"); `reopen()` closes `store` and opens it again; `db` reads rows directly.
 */
export class StoreHarness {
  readonly url: string;
  readonly options: StoreOptions;
  store!: Store;
  db!: Kysely<Database>;
  private readonly extraStores: Store[] = [];
  private readonly cleanup: () => Promise<void>;

  constructor(readonly dialect: StoreDialect) {
    if (dialect === 'sqlite') {
      const folder = mkdtempSync(join(tmpdir(), 'lc-store-'));
      this.url = `sqlite:${join(folder, 'lifecycle.db')}`;
      this.options = {};
      this.cleanup = async () => rmSync(folder, { recursive: true, force: true });
    } else {
      const schema = `lc_test_${randomBytes(6).toString('hex')}`;
      this.url = TEST_DATABASE_URL;
      this.options = { pgSchema: schema, pgPoolSize: 4 };
      this.cleanup = async () => {
        await this.db.schema.dropSchema(schema).ifExists().cascade().execute();
      };
    }
  }

  async start(): Promise<void> {
    this.store = await createStore(this.url, this.options);
    this.db = openDatabase(this.url, this.options).db;
  }

  async openAnother(): Promise<Store> {
    const store = await createStore(this.url, this.options);
    this.extraStores.push(store);
    return store;
  }

  async reopen(): Promise<Store> {
    await this.store.close();
    this.store = await createStore(this.url, this.options);
    return this.store;
  }

  /** Empties every table, so each test starts from nothing without re-creating the database. */
  async reset(): Promise<void> {
    // Read from the database itself, so a table a later migration adds is emptied too (the migrations' own
    // bookkeeping stays).
    const own = (await this.db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_') && (this.options.pgSchema === undefined || t.schema === this.options.pgSchema));
    const tables = own.map((t) => t.name);
    for (const table of tables) await this.db.deleteFrom(table as keyof Database).execute();
  }

  async stop(): Promise<void> {
    for (const store of this.extraStores) await store.close();
    await this.store?.close();
    try {
      await this.cleanup();
    } finally {
      await this.db?.destroy();
    }
  }
}

/** Runs the same specification against SQLite and PostgreSQL, each with its own fresh database. */
export function describeEachDialect(title: string, specify: (harness: StoreHarness) => void): void {
  describe.each(DIALECTS)(`${title} (%s)`, (dialect) => {
    const harness = new StoreHarness(dialect);
    beforeAll(() => harness.start());
    beforeEach(() => harness.reset());
    afterAll(() => harness.stop());
    specify(harness);
  });
}
