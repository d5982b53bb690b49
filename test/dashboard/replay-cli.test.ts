import { join } from 'node:path';
import { commitHistories } from '../../src/app/reporting/__tests__/support/seed-ledger';
import { smallLedger } from '../../src/app/reporting/__tests__/support/small-ledger';
import { openTempStore, type TempStore } from '../../src/app/reporting/__tests__/support/temp-store';
import { main } from '../../src/cli/main';

const PORTAL = 101;
const WHAT_IF_MODEL = join(__dirname, '../../src/core/model/default-model.json');
let temp: TempStore;
const savedToken = process.env['HUBSPOT_ACCESS_TOKEN'];

beforeAll(async () => {
  temp = await openTempStore();
  await commitHistories(temp.store, PORTAL, smallLedger());
  await temp.closeStore();
  delete process.env['HUBSPOT_ACCESS_TOKEN'];
});
afterAll(async () => {
  if (savedToken !== undefined) process.env['HUBSPOT_ACCESS_TOKEN'] = savedToken;
  await temp.remove();
});
afterEach(() => {
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

describe('lifecycle replay without HubSpot access', () => {
  it('names the properties it could not read and the contacts affected, and exits non-zero instead of comparing against nothing', async () => {
    let out = '';
    let err = '';
    jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
    jest.spyOn(console, 'error').mockImplementation((text: string) => void (err += `${text}\n`));

    await main(['node', 'lifecycle', 'replay', '--model', WHAT_IF_MODEL, '--database', temp.url, '--portal', String(PORTAL), '--from', '2025-01-01', '--to', '2025-01-31']);

    expect(process.exitCode).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/could not read .*email.* from HubSpot for 4 contacts \(no HubSpot access/);
  });
});
