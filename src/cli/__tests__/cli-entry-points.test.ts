import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createStore } from '../../adapters/store';
import { openDatabase } from '../../adapters/store/database';
import { TEST_DATABASE_URL } from '../../adapters/store/__tests__/support/store-harness';
import type { Store } from '../../app/ports/store-ports';
import { defaultModelDocument } from '../../core';
import { chooseEveryPortal, chooseOnePortal } from '../cli-options';
import { demoFollowUp } from '../commands/demo-command';
import { main } from '../main';

const PORTAL = 4242;
const T0 = Date.UTC(2026, 0, 5);

/** Runs `lifecycle …` in-process with these environment variables, capturing stdout, stderr and the exit code. */
async function lifecycle(env: Record<string, string | undefined>, ...args: string[]): Promise<{ out: string; err: string; exitCode: number | undefined }> {
  let out = '';
  let err = '';
  const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation((text: string) => void (err += `${text}\n`));
  const saved = { ...process.env };
  for (const [name, value] of Object.entries({ LOG_LEVEL: 'silent', HUBSPOT_ACCESS_TOKEN: undefined, ...env })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    await main(['node', 'lifecycle', ...args]);
    return { out, err, exitCode: typeof process.exitCode === 'number' ? process.exitCode : undefined };
  } finally {
    process.env = saved;
    process.exitCode = undefined;
    log.mockRestore();
    error.mockRestore();
  }
}

/** One event that failed for good (a dead letter that can be re-queued) and one quarantined webhook event. */
async function seedDeadLetters(store: Store): Promise<void> {
  const event = { eventId: 'e1', subscriptionType: 'contact.propertyChange', objectType: 'contact' as const, objectId: '7', propertyName: 'lifecyclestage' };
  await store.inbox.insertMany(PORTAL, [{ ...event, dedupKey: 'e1', propertyValue: 'lead', changeSource: 'CRM_UI', occurredAt: T0, attemptNumber: 0, payload: '{}' }], T0);
  const [claimed] = await store.inbox.claim({ workerId: 'w', limit: 1, leaseMs: 60_000, now: T0 });
  await store.inbox.deadLetter(PORTAL, [claimed!.id], 'w', 'failed too often', T0 + 1);
  await store.deadLetters.quarantine(PORTAL, [{ dedupKey: 'q1', objectType: 'contact', objectId: 'x', raw: '{"objectId":"x"}', reason: 'objectId is not a number' }], T0 + 2);
}

describe('the --portal option', () => {
  it.each([
    ['backfill', ['backfill']],
    ['reconcile', ['reconcile']],
    ['report', ['report']],
    ['replay', ['replay', '--model', 'whatever.json']],
    ['dead-letters list', ['dead-letters', 'list']],
    ['dead-letters retry', ['dead-letters', 'retry', '1']],
    ['aggregates rebuild', ['aggregates', 'rebuild']],
    ['workflows list', ['workflows', 'list']],
    ['provision', ['provision']],
  ])('is refused the same way by `%s` when it is not a portal id: prefixed message, exit code 1, nothing opened', async (name, args) => {
    for (const bad of ['abc', '0', '-3', '12.5']) {
      const { err, exitCode } = await lifecycle({ DATABASE_URL: 'sqlite:/nonexistent/folder/never-opened.db' }, ...args, `--portal=${bad}`);
      expect(exitCode).toBe(1);
      expect(err).toBe(`lifecycle ${name}: ✖ --portal must be a HubSpot portal id (a positive whole number)\n  → at portal\n`);
    }
  });

  describe('its default rule', () => {
    it('takes the only portal known when none is named', () => {
      expect(chooseOnePortal(undefined, [101], 'configured')).toBe(101);
    });

    it('refuses to guess among several, and lists them', () => {
      expect(() => chooseOnePortal(undefined, [202, 101], 'in the ledger')).toThrow('several portals in the ledger (101, 202): name one with --portal');
    });

    it('says when there is no portal at all', () => {
      expect(() => chooseOnePortal(undefined, [], 'in the ledger')).toThrow('no portal in the ledger: nothing to act on');
    });

    it('refuses a named portal it does not know, naming the ones it knows', () => {
      expect(() => chooseOnePortal(303, [101, 202], 'configured')).toThrow('portal 303 is not configured (known: 101, 202)');
      expect(() => chooseEveryPortal(303, [101], 'configured')).toThrow('portal 303 is not configured (only 101)');
    });

    it('lets a sweeping command take every portal it knows, or the one named', () => {
      expect(chooseEveryPortal(undefined, [202, 101], 'configured')).toEqual([101, 202]);
      expect(chooseEveryPortal(202, [101, 202], 'configured')).toEqual([202]);
    });
  });
});

describe('serve, demo and model validate fail like every other command', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-cli-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('`model validate` lists every error of a bad model under the command prefix, with exit code 1', async () => {
    const file = path.join(folder, 'model.json');
    writeFileSync(file, JSON.stringify({ version: 2, stages: [] }));
    const { out, err, exitCode } = await lifecycle({}, 'model', 'validate', file);
    expect(exitCode).toBe(1);
    expect(out).toBe('');
    const [first, ...details] = err.trimEnd().split('\n');
    expect(first).toMatch(new RegExp(`^lifecycle model validate: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ errors?$`));
    expect(details.length).toBeGreaterThan(0);
    expect(details.every((line) => line.startsWith('  '))).toBe(true);
  });

  it('`model validate` says a good model is valid, with exit code 0', async () => {
    const file = path.join(folder, 'model.json');
    writeFileSync(file, JSON.stringify(defaultModelDocument));
    const { out, err, exitCode } = await lifecycle({}, 'model', 'validate', file);
    expect({ out, err, exitCode }).toEqual({ out: `${file}: valid lifecycle model\n`, err: '', exitCode: undefined });
  });

  it('`serve` on a port already taken: one prefixed line and exit code 1, before anything is opened', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const { err, exitCode } = await lifecycle({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: 'sqlite:/nonexistent/folder/never-opened.db' }, 'serve');
      expect(exitCode).toBe(1);
      expect(err).toMatch(new RegExp(`^lifecycle serve: PORT ${port} is already in use on 127\\.0\\.0\\.1: [^\\n]+\\n$`));
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('`demo` refuses a bad option under the command prefix, with exit code 1', async () => {
    const { err, exitCode } = await lifecycle({}, 'demo', '--leads', '5', '--exit');
    expect(exitCode).toBe(1);
    expect(err).toMatch(/^lifecycle demo: ✖ .+\n {2}→ at leads\n$/);
  });
});

describe('lifecycle dead-letters with --database', () => {
  let folder: string;
  let url: string;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'lc-cli-http-dead-letters-'));
    url = `sqlite:${path.join(folder, 'lifecycle.db')}`;
    const store = await createStore(url);
    await seedDeadLetters(store);
    await store.close();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('lists the dead letters of the database named, whatever DATABASE_URL says', async () => {
    const { out, exitCode } = await lifecycle({ DATABASE_URL: 'sqlite:/nonexistent/elsewhere.db' }, 'dead-letters', 'list', '--database', url, '--json');
    expect(exitCode).toBeUndefined();
    expect((JSON.parse(out) as Array<{ source: string }>).map((l) => l.source).sort()).toEqual(['inbox', 'webhook']);
  });

  it('re-queues a dead letter in the database named', async () => {
    const listed = await lifecycle({}, 'dead-letters', 'list', '--database', url, '--json');
    const inboxLetter = (JSON.parse(listed.out) as Array<{ id: number; source: string }>).find((l) => l.source === 'inbox')!;
    const { out, exitCode } = await lifecycle(
      { DATABASE_URL: 'sqlite:/nonexistent/elsewhere.db' },
      'dead-letters',
      'retry',
      String(inboxLetter.id),
      '--portal',
      String(PORTAL),
      '--database',
      url,
    );
    expect(exitCode).toBeUndefined();
    expect(out).toBe(`dead letter ${inboxLetter.id}: re-queued\n`);
  });
});

describe('a portal named must be known, in dead-letters and provision too', () => {
  let folder: string;
  let url: string;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'lc-cli-unknown-portal-'));
    url = `sqlite:${path.join(folder, 'lifecycle.db')}`;
    const store = await createStore(url);
    await seedDeadLetters(store);
    await store.close();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('`dead-letters list --portal` with an unknown portal: an error naming it and the known ones, exit code 1 (not "no dead letters")', async () => {
    const { out, err, exitCode } = await lifecycle({}, 'dead-letters', 'list', '--portal', '999', '--database', url);
    expect({ out, err, exitCode }).toEqual({ out: '', err: `lifecycle dead-letters list: portal 999 is not in the ledger or the dead letters (only ${PORTAL})\n`, exitCode: 1 });
  });

  it('`dead-letters retry --portal` with an unknown portal: the same error, before anything is re-queued', async () => {
    const { out, err, exitCode } = await lifecycle({}, 'dead-letters', 'retry', '1', '--portal', '999', '--database', url);
    expect({ out, err, exitCode }).toEqual({ out: '', err: `lifecycle dead-letters retry: portal 999 is not in the ledger or the dead letters (only ${PORTAL})\n`, exitCode: 1 });
  });

  it('`dead-letters retry` on a SQLite file that does not exist: refused, naming it, and no database is created', async () => {
    const missing = path.join(folder, 'missing.db');
    const { err, exitCode } = await lifecycle({}, 'dead-letters', 'retry', '1', '--portal', String(PORTAL), '--database', `sqlite:${missing}`);
    expect(exitCode).toBe(1);
    expect(err).toContain(missing);
    expect(existsSync(missing)).toBe(false);
  });

  it('`dead-letters list --portal` with a portal known only by its dead letters lists them', async () => {
    const { out, exitCode } = await lifecycle({}, 'dead-letters', 'list', '--portal', String(PORTAL), '--database', url, '--json');
    expect(exitCode).toBeUndefined();
    expect((JSON.parse(out) as unknown[]).length).toBe(2);
  });

  it('`provision --portal` with a portal not configured: an error naming the configured one, before the store is opened', async () => {
    const never = path.join(folder, 'never-opened.db');
    const { err, exitCode } = await lifecycle({ DATABASE_URL: `sqlite:${never}` }, 'provision', '--portal', '999');
    expect({ err, exitCode }).toEqual({ err: 'lifecycle provision: portal 999 is not configured (only 101)\n', exitCode: 1 });
    expect(existsSync(never)).toBe(false);
  });
});

describe('serve and start take --database', () => {
  // PORT=0 passes the port check; an unsupported scheme then stops the start-up at the store, before any HubSpot call.
  const credentials = { HUBSPOT_ACCESS_TOKEN: 'pat-test', HUBSPOT_PORTAL_ID: '5', HUBSPOT_CLIENT_SECRET: 'secret' };

  it('`serve --database` replaces DATABASE_URL', async () => {
    const { err, exitCode } = await lifecycle({ PORT: '0', DATABASE_URL: 'oracle://from-env' }, 'serve', '--database', 'mysql://from-flag');
    expect({ err, exitCode }).toEqual({ err: 'lifecycle serve: Unsupported database URL scheme: mysql://from-flag\n', exitCode: 1 });
  });

  it("`serve --database` is checked like every other command's", async () => {
    const { err, exitCode } = await lifecycle({ PORT: '0' }, 'serve', '--database=');
    expect({ err, exitCode }).toEqual({ err: 'lifecycle serve: ✖ --database must be a database URL\n  → at database\n', exitCode: 1 });
  });

  it('`start --database` with credentials serves on that database', async () => {
    const { err, exitCode } = await lifecycle({ ...credentials, PORT: '0', DATABASE_URL: 'oracle://from-env' }, 'start', '--database', 'mysql://from-flag');
    expect({ err, exitCode }).toEqual({ err: 'lifecycle start: Unsupported database URL scheme: mysql://from-flag\n', exitCode: 1 });
  });

  it("`start --database` without credentials is the demo's database, which the demo recreates: PostgreSQL is refused before it plays", async () => {
    const { out, err, exitCode } = await lifecycle({ PORT: '0' }, 'start', '--database', 'postgres://user:pw@db.example/lifecycle');
    expect({ out, err, exitCode }).toEqual({
      out: '',
      err: 'lifecycle start: --database postgres://user:***@db.example/lifecycle: the demo recreates its database on each run, so it takes a SQLite file (sqlite:<file>)\n',
      exitCode: 1,
    });
  });
});

describe('demo --database', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(tmpdir(), 'lc-cli-demo-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses the store the other commands open, which it would wipe', async () => {
    const store = path.join(folder, 'lifecycle.db');
    writeFileSync(store, 'not to be wiped');
    const { err, exitCode } = await lifecycle({ DATABASE_URL: `sqlite:${store}` }, 'demo', '--exit', '--database', `sqlite:${store}`);
    expect(exitCode).toBe(1);
    expect(err).toMatch(/^lifecycle demo: --database sqlite:.+: that is the store the other commands open \(DATABASE_URL, else \.lifecycle\/lifecycle\.db\)/);
    expect(existsSync(store)).toBe(true);
  });

  it('prints where its data is and the commands that read it, relative to the working directory when inside it', () => {
    const period = { start: Date.UTC(2026, 5, 7), end: Date.UTC(2026, 11, 5) };
    const printed = demoFollowUp(path.join(folder, '.lifecycle', 'demo.db'), period, folder);
    expect(printed).toContain("The demo's data is in sqlite:.lifecycle/demo.db");
    expect(printed).toContain('\n  npx lifecycle report --database sqlite:.lifecycle/demo.db --from 2026-06-07 --to 2026-12-04\n');
    expect(printed).toContain('\n  npx lifecycle replay --model my-model.json --database sqlite:.lifecycle/demo.db --from 2026-06-07 --to 2026-12-04');
    expect(demoFollowUp('/data/my demo.db', period, folder)).toContain("npx lifecycle report --database 'sqlite:/data/my demo.db' --from");
  });

  it('plays into the database named and prints follow-up commands that report and replay it (the issue: replay could not see the demo)', async () => {
    const database = `sqlite:${path.join(folder, 'demo.db')}`;
    const elsewhere = { DATABASE_URL: `sqlite:${path.join(folder, 'real-store.db')}` };
    const demo = await lifecycle(elsewhere, 'demo', '--leads', '100', '--exit', '--port', '0', '--database', database);
    expect(demo.exitCode).toBeUndefined();
    expect(demo.out).toContain(`The demo's data is in ${database} `);
    const command = (verb: string) => {
      const line = demo.out.split('\n').find((l) => l.startsWith(`  npx lifecycle ${verb} `) && !l.includes('--object'))!;
      return line.trim().split(' ').slice(2);
    };
    const report = await lifecycle(elsewhere, ...command('report'), '--json');
    expect(report.exitCode).toBeUndefined();
    expect(JSON.stringify(JSON.parse(report.out))).toContain('"portalId":101');

    const model = path.join(folder, 'my-model.json');
    writeFileSync(model, JSON.stringify(defaultModelDocument));
    const replay = await lifecycle(elsewhere, ...command('replay').map((word) => (word === 'my-model.json' ? model : word)), '--json');
    expect(replay.err).toBe('');
    expect((JSON.parse(replay.out) as { contacts: number }).contacts).toBe(100);
    expect(existsSync(path.join(folder, 'real-store.db'))).toBe(false);
  }, 60_000);
});

describe('lifecycle dead-letters on PostgreSQL with DATABASE_SCHEMA', () => {
  const schema = `cli_http_${process.pid}_${Date.now().toString(36)}`;
  beforeAll(async () => {
    const store = await createStore(TEST_DATABASE_URL, { pgSchema: schema });
    await seedDeadLetters(store);
    await store.close();
  }, 60_000);
  afterAll(async () => {
    const { db } = openDatabase(TEST_DATABASE_URL);
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
  });

  it('lists and retries the dead letters held in that schema (the store is opened as every other command opens it)', async () => {
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
    const listed = await lifecycle(env, 'dead-letters', 'list', '--portal', String(PORTAL), '--json');
    expect(listed.exitCode).toBeUndefined();
    const letters = JSON.parse(listed.out) as Array<{ id: number; source: string; portalId: number }>;
    expect(letters.map((l) => [l.portalId, l.source]).sort()).toEqual([
      [PORTAL, 'inbox'],
      [PORTAL, 'webhook'],
    ]);

    const inboxLetter = letters.find((l) => l.source === 'inbox')!;
    const retried = await lifecycle(env, 'dead-letters', 'retry', String(inboxLetter.id), '--portal', String(PORTAL));
    expect(retried.out).toBe(`dead letter ${inboxLetter.id}: re-queued\n`);
    const after = await lifecycle(env, 'dead-letters', 'list', '--portal', String(PORTAL), '--json');
    expect((JSON.parse(after.out) as Array<{ source: string }>).map((l) => l.source)).toEqual(['webhook']);
  });
});
