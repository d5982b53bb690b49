import { existsSync } from 'node:fs';
import { JANUARY } from '../../src/app/reporting/__tests__/support/literature-ledger';
import { commitHistories } from '../../src/app/reporting/__tests__/support/seed-ledger';
import { smallLedger } from '../../src/app/reporting/__tests__/support/small-ledger';
import { openTempStore, type TempStore } from '../../src/app/reporting/__tests__/support/temp-store';
import { openDatabase } from '../../src/adapters/store/database';
import { main } from '../../src/cli/main';

const PORTAL = 101;
let temp: TempStore;

beforeAll(async () => {
  temp = await openTempStore();
  await commitHistories(temp.store, PORTAL, smallLedger());
  await temp.closeStore();
});
afterAll(() => temp.remove());
afterEach(() => {
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

async function run(...args: string[]): Promise<string> {
  let out = '';
  jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await main(['node', 'lifecycle', ...args]);
  return out;
}

describe('lifecycle aggregates rebuild', () => {
  it('restores lost aggregates from the ledger, so the report shows the ledger again', async () => {
    const report = () => run('report', '--database', temp.url, '--portal', String(PORTAL), '--from', JANUARY.from, '--to', JANUARY.to, '--json');
    const before = JSON.parse(await report());
    const { db } = openDatabase(temp.url);
    // Lost: the moves by day and their rollups (the balances come from the all-time totals).
    for (const table of ['ledger_move_days', 'ledger_move_totals', 'ledger_move_spans'] as const) await db.deleteFrom(table).execute();
    await db.destroy();
    expect(JSON.parse(await report()).report.records.ending).toBe(0);

    const progress = await run('aggregates', 'rebuild', '--database', temp.url, '--json');

    expect(
      progress
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([{ portalId: PORTAL, after: { objectType: 'contact', objectId: 'lead-4' }, recordsDone: 4, recordsTotal: null, resumed: false }]); // the lost moves counted no record
    expect(JSON.parse(await report())).toEqual(before);
  });

  it('refuses a portal the ledger does not hold, naming the ones it does, and rebuilds nothing', async () => {
    let err = '';
    jest.spyOn(console, 'error').mockImplementation((text: string) => void (err += `${text}\n`));
    const out = await run('aggregates', 'rebuild', '--database', temp.url, '--portal', '999');

    expect({ out, err, exitCode: process.exitCode }).toEqual({ out: '', err: `lifecycle aggregates rebuild: portal 999 is not in the ledger (only ${PORTAL})\n`, exitCode: 1 });
  });

  it('refuses a SQLite file that does not exist instead of creating an empty one', async () => {
    const missing = `${temp.url.replace(/^sqlite:/, '')}.missing`;
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await run('aggregates', 'rebuild', '--database', `sqlite:${missing}`);

    expect(process.exitCode).toBe(1);
    expect(existsSync(missing)).toBe(false);
  });
});
