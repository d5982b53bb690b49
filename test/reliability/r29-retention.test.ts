import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { deliver } from './support';

/**
 * R29 (docs/reliability.md): under a steady stream the queues stop growing. Processed inbox events and delivered
 * outbox items are pruned after the retention period (default 14 days), in small batches; the ledger, the states and
 * the dead letters are kept. 60 days on the simulated clock.
 */

const RETENTION_DAYS = 14;
const CONTACTS_PER_DAY = 4;

describe('R29: retention keeps the queues bounded under a steady stream', () => {
  let h: PipelineHarness;
  let folder: string;
  let db: BetterSqlite3.Database;
  beforeEach(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'lc-r29-'));
    const file = path.join(folder, 'lifecycle.db');
    h = await startPipelineHarness({ databaseUrl: `sqlite:${file}`, backend: { retention: { periodMs: RETENTION_DAYS * DAY, batchSize: 50 } } });
    db = new BetterSqlite3(file, { readonly: true });
  });
  afterEach(async () => {
    db.close();
    await h.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const rows = (table: string, where = '1 = 1') => (db.prepare(`select count(*) as n from ${table} where ${where}`).get() as { n: number }).n;

  it('60 days of new contacts and activity: inbox and outbox rows level off after 14 days; ledger, states and dead letters are all kept', async () => {
    // Day 0: one unusable event is quarantined; it must survive every sweep.
    expect((await deliver(h, [{ eventId: 1, subscriptionId: 1, portalId: PORTAL, occurredAt: h.clock.now(), subscriptionType: 'contact.creation' }])).status).toBe(200);
    const contacts: string[] = [];
    const queueRows: number[] = [];
    for (let day = 0; day < 60; day++) {
      for (let i = 0; i < CONTACTS_PER_DAY; i++) contacts.push(await h.createContact({ email: `day${day}-${i}@acme.test` }));
      for (const id of contacts.slice(-3 * CONTACTS_PER_DAY)) h.activity({ kind: 'email_click', contactId: id });
      await h.settle();
      queueRows.push(rows('inbox_events') + rows('outbox'));
      await h.advanceDays(1);
    }

    // Everything was processed and kept where it is history.
    expect(rows('inbox_events', "status in ('pending', 'leased')")).toBe(0);
    expect(rows('lifecycle_states')).toBe(contacts.length);
    expect(await h.store.ledger.count(PORTAL)).toBe(rows('ledger'));
    for (const id of [contacts[0]!, contacts[30]!, contacts.at(-1)!]) expect((await h.history(id)).length).toBeGreaterThanOrEqual(1);
    expect((await h.history(contacts[0]!)).map((e) => e.toStage)).toEqual(['lead_acquired', 'nurturing']);
    expect((await h.store.deadLetters.list(PORTAL)).map((d) => d.source)).toEqual(['webhook']);

    // Nothing processed within the period was pruned; nothing older is left.
    const cutoff = h.clock.now() - RETENTION_DAYS * DAY;
    expect(rows('inbox_events', `status = 'done' and completed_at < ${cutoff - DAY}`)).toBe(0);
    expect(rows('outbox', `status in ('done', 'superseded') and updated_at < ${cutoff - DAY}`)).toBe(0);
    expect(rows('inbox_events', `status = 'done' and completed_at >= ${cutoff}`)).toBeGreaterThan(0);

    // The queues stop growing: the second month ends where the first month's third week did, within a day's traffic.
    const perDay = queueRows[20]! - queueRows[19]! || 1;
    expect(Math.abs(queueRows[59]! - queueRows[29]!)).toBeLessThanOrEqual(2 * Math.abs(perDay) + 10);
    expect(queueRows[59]!).toBeLessThan(queueRows[14]! * 1.5);
    expect(Math.max(...queueRows.slice(20))).toBeLessThan(queueRows[14]! * 1.5);
  }, 300_000);
});
