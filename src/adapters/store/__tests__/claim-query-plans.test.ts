import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type CompiledQuery } from 'kysely';
import { completeInboxEvents, InboxRepository } from '../inbox-repository';
import { encodeRebuildCursor, REBUILD_CURSOR } from '../ledger-aggregate-fence';
import { fencedHistories, recordHistories } from '../ledger-aggregate-repository';
import { LedgerRepository } from '../ledger-repository';
import { migrateToLatest } from '../migrator';
import { OutboxRepository } from '../outbox-repository';
import type { Database } from '../schema';
import { SqliteImmediateDialect } from '../sqlite-immediate-dialect';

/**
 * The claims and the per-commit history read run on every worker round and every commit: what they read must not grow
 * with the portal's history (issues 15 and 16). Their SQLite plans are the evidence: each statement these paths send
 * is explained, and no step may walk a whole table (or a whole index of it) — only searches by key, or scans of the
 * open-work partial indexes, whose size is the open work, not history. Timing is the benchmarks' business (B1, B4,
 * B9); this pins the shape that made them flat.
 */

const PORTAL = 1;
const NOW = 1_800_000_000_000;

let folder: string;
let connection: BetterSqlite3.Database;
let statements: CompiledQuery[];
let db: Kysely<Database>;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'lc-plans-'));
  connection = new BetterSqlite3(join(folder, 'plans.db'));
  connection.pragma('journal_mode = WAL');
  statements = [];
  db = new Kysely<Database>({
    dialect: new SqliteImmediateDialect({ database: connection }),
    log: (event) => {
      if (event.level === 'query') statements.push(event.query);
    },
  });
  await migrateToLatest({ db, dialect: 'sqlite', pgSchema: null });
  statements = [];
});

afterEach(async () => {
  await db.destroy();
  rmSync(folder, { recursive: true, force: true });
});

/** Every plan step of the statements (of those `kinds`) sent since `from`, with the statement it belongs to. */
function planSteps(from: number, kinds = /^\s*(select|update|delete|with)/i): Array<{ sql: string; step: string }> {
  const steps: Array<{ sql: string; step: string }> = [];
  for (const query of statements.slice(from)) {
    if (!kinds.test(query.sql)) continue;
    const plan = connection.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as Array<{ detail: string }>;
    for (const { detail } of plan) steps.push({ sql: query.sql, step: detail });
  }
  return steps;
}

/** Indexes with a WHERE clause: their size is what matches it (the open work), not the table. */
function partialIndexes(): Set<string> {
  const rows = connection.prepare(`select name from sqlite_master where type = 'index' and sql like '%where%'`).all() as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name));
}

/**
 * Plan steps that read history: a scan of a whole table or of a whole index, or a search that pins only the portal
 * (and a kind or type) — every row the portal ever had. Reads through a partial open-work index are not history. A
 * search must pin a record (object_id), a row id, a transition, or a status (these statements bind only the open
 * statuses, pending and leased). A range of ids alone (`rowid>?`) is not a pin: from the first id it is everything.
 */
function historyReads(from: number, tables: readonly string[], kinds?: RegExp): Array<{ sql: string; step: string }> {
  const partial = partialIndexes();
  return planSteps(from, kinds).filter(({ step }) => {
    const read = /^(SCAN|SEARCH) (\w+)(?: USING (?:(?:COVERING )?INDEX (\w+)|INTEGER PRIMARY KEY))?(?: \((.*)\))?/.exec(step);
    if (!read || !tables.includes(read[2] ?? '')) return false;
    if (read[3] && partial.has(read[3])) return false;
    if (read[1] === 'SCAN') return true;
    return !/\b(object_id|id|rowid|transition_id|status)=/.test(read[4] ?? '');
  });
}

function indexesUsed(from: number, table: string): string[] {
  return planSteps(from)
    .map(({ step }) => new RegExp(`^(?:SCAN|SEARCH) ${table} USING (?:COVERING )?INDEX (\\w+)`).exec(step)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** The i-th ledger row of a portal: an entry of `objectId` as a lead. */
function ledgerRow(portal: number, i: number, objectId: string) {
  return {
    portal_id: portal,
    transition_id: `t${i}`,
    object_type: 'contact',
    object_id: objectId,
    from_stage: null,
    to_stage: 'lead',
    kind: 'enter',
    skipped: '[]',
    rule_id: 'r',
    reason: 'r',
    reason_code: null,
    evidence: '[]',
    occurred_at: NOW - i,
    recorded_at: NOW,
    recorded_position: i,
    source: 'rules',
    actor: null,
  };
}

async function insertDoneAndOpenInboxEvents(done: number, open: number): Promise<void> {
  const row = (i: number, status: 'done' | 'pending') => ({
    portal_id: PORTAL,
    dedup_key: `k${i}`,
    event_id: `e${i}`,
    subscription_type: 'object.propertyChange',
    object_type: 'contact',
    object_id: `${i % 500}`,
    property_name: 'email',
    property_value: 'x@example.com',
    change_source: null,
    occurred_at: NOW - 1_000,
    attempt_number: 0,
    payload: '{}',
    received_at: NOW - 1_000,
    status,
    attempts: status === 'done' ? 1 : 0,
    next_attempt_at: NOW - 1_000,
    lease_owner: null,
    lease_until: null,
    last_error: null,
    completed_at: status === 'done' ? NOW - 500 : null,
  });
  const rows = [...Array.from({ length: done }, (_, i) => row(i, 'done')), ...Array.from({ length: open }, (_, i) => row(done + i, 'pending'))];
  for (let at = 0; at < rows.length; at += 200)
    await db
      .insertInto('inbox_events')
      .values(rows.slice(at, at + 200))
      .execute();
}

async function insertDoneAndOpenOutboxItems(done: number, open: number): Promise<void> {
  const row = (i: number, status: 'done' | 'pending') => ({
    portal_id: PORTAL,
    object_type: 'contact',
    object_id: `${i}`,
    kind: 'update_properties',
    payload: JSON.stringify({ kind: 'update_properties', properties: { lc_stage: 'mql' } }),
    step: null,
    status,
    attempts: 0,
    next_attempt_at: NOW - 1_000,
    lease_owner: null,
    lease_until: null,
    last_error: null,
    created_at: NOW - 1_000,
    updated_at: NOW - 1_000,
  });
  const rows = [...Array.from({ length: done }, (_, i) => row(i, 'done')), ...Array.from({ length: open }, (_, i) => row(done + i, 'pending'))];
  for (let at = 0; at < rows.length; at += 200)
    await db
      .insertInto('outbox')
      .values(rows.slice(at, at + 200))
      .execute();
}

describe('statements that run on every worker round or commit do not read history', () => {
  it('when a worker claims inbox events, it reads the open events through the claim index, never every event ever received', async () => {
    await insertDoneAndOpenInboxEvents(2_000, 20);
    const inbox = new InboxRepository(db, 'sqlite');
    const from = statements.length;

    const claimed = await inbox.claim({ workerId: 'w1', limit: 1_000, leaseMs: 60_000, now: NOW });

    expect(claimed).toHaveLength(20);
    expect(historyReads(from, ['inbox_events'])).toEqual([]);
    expect(indexesUsed(from, 'inbox_events')).toContain('inbox_events_claim_idx');
  });

  it('when a worker completes, retries, dead-letters or prunes inbox events, it names them by id and touches no other event of the portal', async () => {
    await insertDoneAndOpenInboxEvents(2_000, 30);
    const inbox = new InboxRepository(db, 'sqlite');
    const claimed = await inbox.claim({ workerId: 'w1', limit: 1_000, leaseMs: 60_000, now: NOW });
    const ids = claimed.map((event) => event.id);
    const from = statements.length;

    await completeInboxEvents(db, PORTAL, ids.slice(0, 10), 'w1', NOW);
    await inbox.release(PORTAL, ids.slice(10, 20), 'w1', NOW + 60_000, 'HubSpot answered 503');
    await inbox.deadLetter(PORTAL, ids.slice(20), 'w1', 'unparseable', NOW);
    expect(historyReads(from, ['inbox_events'])).toEqual([]);

    // Retention picks the oldest done events (a read of old history by design, bounded by its limit), then deletes
    // them by id: the delete must not walk the portal's events.
    const pruning = statements.length;
    const pruned = await inbox.pruneCompleted(PORTAL, NOW, 500);
    expect(pruned).toBe(500);
    expect(historyReads(pruning, ['inbox_events'], /^\s*delete/i)).toEqual([]);
  });

  it('when a worker claims HubSpot writes, it reads the due items of one portal and kind and looks up leases by record, never every item ever queued', async () => {
    await insertDoneAndOpenOutboxItems(2_000, 20);
    const outbox = new OutboxRepository(db, 'sqlite');
    const from = statements.length;

    const claimed = await outbox.claim(PORTAL, { kind: 'update_properties', workerId: 'w1', limit: 100, leaseMs: 60_000, now: NOW });

    expect(claimed).toHaveLength(20);
    expect(historyReads(from, ['outbox'])).toEqual([]);
  });

  it('when retention prunes delivered HubSpot writes, it deletes the ones it picked by id, not through every item of the portal', async () => {
    await insertDoneAndOpenOutboxItems(2_000, 20);
    const outbox = new OutboxRepository(db, 'sqlite');
    const from = statements.length;

    const pruned = await outbox.pruneDelivered(PORTAL, NOW, 500);

    expect(pruned).toBe(500);
    expect(historyReads(from, ['outbox'], /^\s*delete/i)).toEqual([]);
  });

  it("when a commit reads the histories of its records, it seeks each record's rows, never the portal's whole ledger", async () => {
    const rows = Array.from({ length: 1_000 }, (_, i) => ledgerRow(PORTAL, i, `${i % 250}`));
    for (let at = 0; at < rows.length; at += 100)
      await db
        .insertInto('ledger')
        .values(rows.slice(at, at + 100))
        .execute();
    const from = statements.length;

    // A commit's batch: many records at once (the statement lists them all).
    const keys = Array.from({ length: 200 }, (_, i) => ({ objectType: 'contact' as const, objectId: `${i}` }));
    const histories = await recordHistories(db, PORTAL, keys);

    expect(histories.map((h) => h.length)).toEqual(keys.map(() => 4));
    expect(historyReads(from, ['ledger'])).toEqual([]);

    // What a commit sends: the same read with the aggregates rebuild's cursor beside it (a CTE of one row, read by key).
    await db
      .insertInto('cursors')
      .values({
        portal_id: PORTAL,
        name: REBUILD_CURSOR,
        value: encodeRebuildCursor({ after: { objectType: 'contact', objectId: '150' }, recordsDone: 1, recordsTotal: 2 }),
        updated_at: NOW,
      })
      .execute();
    const fenced = statements.length;
    const { reached } = await fencedHistories(db, 'sqlite', PORTAL, keys);

    expect(reached.length).toBe(keys.filter((k) => k.objectId <= '150').length);
    expect(historyReads(fenced, ['ledger'])).toEqual([]);
    expect(planSteps(fenced).filter(({ step }) => / cursors\b/.test(step))).toEqual([
      expect.objectContaining({ step: expect.stringMatching(/^SEARCH cursors USING INDEX \S+ \(portal_id=\? AND name=\?\)/) }),
    ]);
  });
});

describe("the report API's portal list", () => {
  it('seeks the next portal id in the ledger index, one seek per portal, never walking the ledger', async () => {
    for (const portal of [3, 1, 2])
      await db
        .insertInto('ledger')
        .values(Array.from({ length: 100 }, (_, i) => ledgerRow(portal, i, `${i}`)))
        .execute();
    const from = statements.length;

    expect(await new LedgerRepository(db).portals()).toEqual([1, 2, 3]);
    const steps = planSteps(from).map(({ step }) => step);
    expect(steps.filter((step) => /^SCAN ledger/.test(step))).toEqual([]);
    expect(steps).toContainEqual(expect.stringMatching(/^SEARCH ledger USING COVERING INDEX \w+ \(portal_id>\?\)$/));
  });
});
