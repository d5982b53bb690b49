import { main } from '../../src/cli/main';
import { openDatabase } from '../../src/adapters/store/database';
import { beginRebuild } from '../../src/adapters/store/ledger-aggregate-rebuild';
import { JANUARY } from '../../src/app/reporting/__tests__/support/literature-ledger';
import { commitHistories } from '../../src/app/reporting/__tests__/support/seed-ledger';
import { smallLedger } from '../../src/app/reporting/__tests__/support/small-ledger';
import { openTempStore, type TempStore } from '../../src/app/reporting/__tests__/support/temp-store';

const PORTAL = 101;
let databaseUrl: string;
let temp: TempStore;

beforeAll(async () => {
  temp = await openTempStore();
  databaseUrl = temp.url;
  await commitHistories(temp.store, PORTAL, smallLedger());
  // The command opens its own store on the file; one SQLite connection per file per process.
  await temp.closeStore();
});
afterAll(() => temp.remove());

afterEach(() => {
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

/** Runs `lifecycle report …` in-process and returns what it printed. */
async function lifecycleReport(...args: string[]): Promise<{ out: string; err: string; exitCode: number | undefined }> {
  let out = '';
  let err = '';
  jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
  jest.spyOn(console, 'error').mockImplementation((text: string) => void (err += `${text}\n`));
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  await main(['node', 'lifecycle', 'report', '--database', databaseUrl, ...args]);
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  return { out, err, exitCode };
}

describe('lifecycle report', () => {
  it('prints the flow/stock table of the portal and period', async () => {
    const { out, exitCode } = await lifecycleReport('--portal', String(PORTAL), '--from', JANUARY.from, '--to', JANUARY.to);

    expect(exitCode).toBeUndefined();
    expect(out).toContain('Portal 101 · contacts · 2025-01-01T00:00:00.000Z → 2025-02-01T00:00:00.000Z');
    expect(out).toMatch(/│ Nurturing +│ +0 │ +2 │ +1 │ +1 │/);
    expect(out).toContain('Records: 0 at start, 4 at end');
  });

  it('prints CSV with --csv and the full report with --json', async () => {
    const csv = await lifecycleReport('--portal', String(PORTAL), '--from', JANUARY.from, '--to', JANUARY.to, '--csv');
    const json = await lifecycleReport('--portal', String(PORTAL), '--from', JANUARY.from, '--to', JANUARY.to, '--json');

    expect(csv.out.split('\r\n')).toContain('reason,dead_end,student,dead_end,,1,,,,,,,,');
    expect(JSON.parse(json.out)).toMatchObject({ portalId: PORTAL, report: { records: { beginning: 0, ending: 4 } } });
  });

  it('reports companies with --object company', async () => {
    const { out } = await lifecycleReport('--portal', String(PORTAL), '--from', JANUARY.from, '--to', JANUARY.to, '--object', 'company', '--json');

    expect(JSON.parse(out)).toMatchObject({ objectType: 'company', report: { records: { ending: 0 } } });
  });

  it.each([
    ['a date that does not exist', ['--from', '2025-02-30'], '"2025-02-30" must be a date (YYYY-MM-DD)'],
    ['a period that ends before it starts', ['--from', '2025-02-01', '--to', '2025-01-01'], 'from must be before to'],
    ['a portal that is not a number', ['--portal', 'acme'], 'must be a HubSpot portal id'],
  ])('explains %s and exits 1', async (_case, args, message) => {
    const { err, exitCode } = await lifecycleReport(...(args.includes('--portal') ? args : ['--portal', String(PORTAL), ...args]));

    expect(exitCode).toBe(1);
    expect(err).toContain(message);
  });

  it('refuses --json together with --csv', async () => {
    const { err, exitCode } = await lifecycleReport('--portal', String(PORTAL), '--json', '--csv');

    expect(exitCode).toBe(1);
    expect(err).toContain("option '--json' cannot be used with option '--csv'");
  });

  it('warns on stderr while the aggregates are being rebuilt (figures partial), and the JSON says so, until the rebuild is finished', async () => {
    const january = ['--portal', String(PORTAL), '--from', JANUARY.from, '--to', JANUARY.to];
    const whole = await lifecycleReport(...january, '--json');
    // A rebuild stopped before its first step: the aggregates were emptied and no record is back yet.
    const { db } = openDatabase(databaseUrl);
    await beginRebuild(db, 'sqlite', PORTAL, Date.now());
    await db.destroy();

    const partial = await lifecycleReport(...january);
    const partialJson = await lifecycleReport(...january, '--json');

    const warning = `warning: aggregates for portal ${PORTAL} are being rebuilt (0 of about 4 records done): figures are partial; run \`lifecycle aggregates rebuild --portal ${PORTAL}\` to finish`;
    expect(partial.err).toBe(`${warning}\n`);
    expect(partial.exitCode).toBeUndefined();
    expect(partial.out).toContain('Records: 0 at start, 0 at end');
    expect(JSON.parse(partialJson.out)).toMatchObject({ report: { records: { ending: 0 } }, partial: { reason: 'aggregates_rebuild', recordsDone: 0, recordsTotal: 4 } });
    expect(whole.err).toBe('');
    expect(JSON.parse(whole.out)).not.toHaveProperty('partial');

    jest.restoreAllMocks();
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['node', 'lifecycle', 'aggregates', 'rebuild', '--database', databaseUrl, '--portal', String(PORTAL)]);
    jest.restoreAllMocks();
    const finished = await lifecycleReport(...january, '--json');

    expect(finished.err).toBe('');
    expect(JSON.parse(finished.out)).toEqual(JSON.parse(whole.out));
  });

  it('refuses an object type without a funnel', async () => {
    const { err, exitCode } = await lifecycleReport('--portal', String(PORTAL), '--object', 'deal');

    expect(exitCode).toBe(1);
    expect(err).toContain('Allowed choices are contact, company');
  });
});
