import { join } from 'node:path';
import { storedContactProperties } from '../../src/app/facts/stored-properties';
import type { RecordCommit } from '../../src/app/ports/store-ports';
import { commitHistories } from '../../src/app/reporting/__tests__/support/seed-ledger';
import { smallLedger } from '../../src/app/reporting/__tests__/support/small-ledger';
import { openTempStore, type TempStore } from '../../src/app/reporting/__tests__/support/temp-store';
import { openDatabase } from '../../src/adapters/store/database';
import { beginRebuild } from '../../src/adapters/store/ledger-aggregate-rebuild';
import { main } from '../../src/cli/main';
import { defaultModel, initialState, type LedgerEntry } from '../../src/core';

const PORTAL = 101;
const WHAT_IF_MODEL = join(__dirname, '../../src/core/model/default-model.json');
let temp: TempStore;
const HUBSPOT_ENV = ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_PORTAL_ID', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_API_BASE_URL'] as const;
const savedEnv = Object.fromEntries(HUBSPOT_ENV.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  temp = await openTempStore();
  await commitHistories(temp.store, PORTAL, smallLedger());
  await temp.closeStore();
});
beforeEach(() => HUBSPOT_ENV.forEach((name) => delete process.env[name]));
afterAll(async () => {
  for (const name of HUBSPOT_ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  await temp.remove();
});
afterEach(() => {
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

/** HubSpot credentials for another portal than the one replayed; the API origin refuses connections, so any call would fail. */
function credentialsForAnotherPortal(): void {
  process.env['HUBSPOT_ACCESS_TOKEN'] = 'pat-na1-another-portal';
  process.env['HUBSPOT_PORTAL_ID'] = '999';
  process.env['HUBSPOT_CLIENT_SECRET'] = 'another-portals-secret';
  process.env['HUBSPOT_API_BASE_URL'] = 'http://127.0.0.1:9';
}

async function replayJanuary(database: string, ...flags: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
  jest.spyOn(console, 'error').mockImplementation((text: string) => void (err += `${text}\n`));
  await main(['node', 'lifecycle', 'replay', ...flags, '--model', WHAT_IF_MODEL, '--database', database, '--portal', String(PORTAL), '--from', '2025-01-01', '--to', '2025-01-31']);
  return { out, err };
}

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

  it("says that the replayed portal has no HubSpot access when the credentials configured are another portal's", async () => {
    credentialsForAnotherPortal();

    const { out, err } = await replayJanuary(temp.url);

    expect(process.exitCode).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/could not read .*email.* from HubSpot for 4 contacts/);
    expect(err).toMatch(/portal 101 has no HubSpot access \(the credentials configured are portal 999's\)/);
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

  it('compares from the store when HubSpot credentials are configured for another portal: they are not needed', async () => {
    credentialsForAnotherPortal();

    const { out, err } = await replayJanuary(stored.url, '--json');

    expect(err).toBe('');
    expect(process.exitCode ?? 0).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ portalId: PORTAL, contacts: 4, hubspotReads: 0, unreadable: null });
  });

  it('refuses a --threads that is not a whole number of threads, naming the flag, and compares nothing', async () => {
    const { out, err } = await replayJanuary(stored.url, '--json', '--threads', '0');

    expect(process.exitCode).toBe(1);
    expect(err).toContain('threads');
    expect(out).toBe('');
  });

  it('warns on stderr that the ledger side is partial while the aggregates are being rebuilt, and still compares', async () => {
    const { db } = openDatabase(stored.url);
    await beginRebuild(db, 'sqlite', PORTAL, 0);
    await db.destroy();
    let warned = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => Boolean((warned += String(text))));

    const { out } = await replayJanuary(stored.url, '--json');

    expect(process.exitCode ?? 0).toBe(0);
    expect(warned).toContain(`warning: the ledger side is partial: aggregates for portal ${PORTAL} are being rebuilt (0 of about 4 records done)`);
    expect(JSON.parse(out)).toMatchObject({ contacts: 4, ledgerRows: { current: 0 } });
  });
});
