import { join } from 'node:path';
import { storedContactProperties } from '../../src/app/facts/stored-properties';
import type { RecordCommit } from '../../src/app/ports/store-ports';
import { commitHistories } from '../../src/app/reporting/__tests__/support/seed-ledger';
import { smallLedger } from '../../src/app/reporting/__tests__/support/small-ledger';
import { openTempStore, type TempStore } from '../../src/app/reporting/__tests__/support/temp-store';
import { main } from '../../src/cli/main';
import { defaultModel, initialState, type LedgerEntry } from '../../src/core';

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

describe('lifecycle replay from the store alone', () => {
  let stored: TempStore;
  beforeAll(async () => {
    // The same contacts, each with the property values the default model reads stored, as the pipeline keeps them.
    stored = await openTempStore();
    const byRecord = new Map<string, LedgerEntry[]>();
    for (const entry of smallLedger().filter((e) => e.objectType === 'contact')) byRecord.set(entry.objectId, [...(byRecord.get(entry.objectId) ?? []), entry]);
    const commits = [...byRecord].map(([id, history]): RecordCommit => {
      const last = history.at(-1)!;
      return {
        key: { objectType: 'contact', objectId: id },
        expectedVersion: null,
        state: { ...initialState('contact', id), stage: last.toStage, enteredAt: last.occurredAt },
        wakeAt: null,
        newFactEvents: [],
        properties: storedContactProperties(defaultModel()).map((property) => ({ property, value: property === 'email' ? `${id}@acme.test` : null, setAt: null })),
        ledger: history,
        outbox: [],
        pause: null,
        alerts: [],
      };
    });
    await stored.store.unitOfWork.commitEvaluations(PORTAL, commits, [], 'seed', 0);
    await stored.closeStore();
  });
  afterAll(() => stored.remove());

  it('compares without any HubSpot access when the store holds every property the what-if reads', async () => {
    let out = '';
    jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));

    await main(['node', 'lifecycle', 'replay', '--json', '--model', WHAT_IF_MODEL, '--database', stored.url, '--portal', String(PORTAL), '--from', '2025-01-01', '--to', '2025-01-31']);

    expect(process.exitCode ?? 0).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ contacts: 4, hubspotReads: 0, unreadable: null });
  });
});
