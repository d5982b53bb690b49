import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createStore } from '../../src/adapters/store';
import { openDatabase } from '../../src/adapters/store/database';
import { TEST_DATABASE_URL } from '../../src/adapters/store/__tests__/support/store-harness';
import { JANUARY } from '../../src/app/reporting/__tests__/support/literature-ledger';
import { commitHistories } from '../../src/app/reporting/__tests__/support/seed-ledger';
import { smallLedger } from '../../src/app/reporting/__tests__/support/small-ledger';
import { main } from '../../src/cli/main';

const PORTAL = 101;
const schema = `report_cli_${randomBytes(4).toString('hex')}`;
const savedSchema = process.env['DATABASE_SCHEMA'];

beforeAll(async () => {
  const store = await createStore(TEST_DATABASE_URL, { pgSchema: schema });
  await commitHistories(store, PORTAL, smallLedger());
  await store.close();
  process.env['DATABASE_SCHEMA'] = schema;
}, 60_000);

afterAll(async () => {
  if (savedSchema === undefined) delete process.env['DATABASE_SCHEMA'];
  else process.env['DATABASE_SCHEMA'] = savedSchema;
  const { db } = openDatabase(TEST_DATABASE_URL);
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
  await db.destroy();
});

afterEach(() => {
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

describe('lifecycle report on PostgreSQL with DATABASE_SCHEMA', () => {
  it('reports the ledger rows held in that schema (the store is opened as every other command opens it)', async () => {
    let out = '';
    jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);

    await main(['node', 'lifecycle', 'report', '--database', TEST_DATABASE_URL, '--portal', String(PORTAL), '--from', JANUARY.from, '--to', JANUARY.to, '--json']);

    expect(process.exitCode).toBeUndefined();
    expect(JSON.parse(out)).toMatchObject({ portalId: PORTAL, report: { records: { beginning: 0, ending: 4 } } });
  });
});
