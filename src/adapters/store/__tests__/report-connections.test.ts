import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, openPostgresReaders } from '../database';
import { REPORT_CONNECTIONS, REPORT_READ_SETTINGS } from '../ledger-aggregate-repository';
import { TEST_DATABASE_URL } from './support/store-harness';

describe('report connections (PostgreSQL)', () => {
  const schema = `lc_test_${randomBytes(6).toString('hex')}`;
  const admin = openDatabase(TEST_DATABASE_URL, { pgSchema: schema }).db;
  const reports = openPostgresReaders(TEST_DATABASE_URL, { pgSchema: schema }, REPORT_READ_SETTINGS, REPORT_CONNECTIONS);

  beforeAll(async () => {
    await admin.schema.createSchema(schema).ifNotExists().execute();
  });

  afterAll(async () => {
    await reports?.destroy();
    await admin.schema.dropSchema(schema).ifExists().cascade().execute();
    await admin.destroy();
  });

  it('start with the report planner settings and the store schema, so that one statement needs no transaction to set them', async () => {
    if (!reports) throw new Error('expected report connections for a PostgreSQL URL');
    for (const [name, value] of REPORT_READ_SETTINGS) {
      const { rows } = await sql<{ setting: string }>`select current_setting(${name}) as setting`.execute(reports);
      expect([name, rows[0]?.setting]).toEqual([name, value]);
    }
    const { rows } = await sql<{ path: string }>`select current_setting('search_path') as path`.execute(reports);
    expect(rows[0]?.path).toBe(schema);
  });

  it('only read: a write on a report connection is refused by the server', async () => {
    if (!reports) throw new Error('expected report connections for a PostgreSQL URL');
    await expect(sql`create table report_write_attempt (id integer)`.execute(reports)).rejects.toThrow(/read-only transaction/);
  });

  it('refuse a setting that is not a plain name and value (it would go into the connection options)', () => {
    expect(() => openPostgresReaders(TEST_DATABASE_URL, {}, [['enable_seqscan', 'off -c work_mem=1GB']], 1)).toThrow(/Invalid PostgreSQL setting/);
  });

  it('are not opened for SQLite, which reads in process', () => {
    expect(openPostgresReaders('sqlite::memory:', {}, REPORT_READ_SETTINGS, 1)).toBeNull();
  });
});
