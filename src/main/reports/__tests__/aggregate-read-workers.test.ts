import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregateWindow, dayOf } from '../../../core/ledger';
import { defaultModel } from '../../../core/model';
import { literatureLedger, JANUARY, oneCompanyCustomer } from '../../../app/reporting/__tests__/support/literature-ledger';
import { commitHistories } from '../../../app/reporting/__tests__/support/seed-ledger';
import { openTempStore, type TempStore } from '../../../app/reporting/__tests__/support/temp-store';
import { AggregateReadWorkers, reportReadsFor } from '../aggregate-read-workers';

const PORTAL = 7;
const model = defaultModel();
const window = aggregateWindow(model, { start: JANUARY.start, end: JANUARY.end });

describe('report reads on reader threads (a SQLite file)', () => {
  let temp: TempStore;
  let workers: AggregateReadWorkers;

  beforeAll(async () => {
    temp = await openTempStore();
    await commitHistories(temp.store, PORTAL, [...literatureLedger(), ...oneCompanyCustomer()]);
  });
  afterEach(async () => workers?.close());
  afterAll(async () => temp.remove());

  it("answer every read as the serving connection does: the funnel, the stock series and the Funnel page's both", async () => {
    workers = new AggregateReadWorkers(temp.url, 2);
    const own = temp.store.aggregates;
    const [funnel, stock, both] = await Promise.all([
      workers.funnelAggregates(PORTAL, 'contact', window),
      workers.stockAggregates(PORTAL, 'contact', dayOf(JANUARY.start), dayOf(JANUARY.end), 7),
      workers.funnelAndStockAggregates(PORTAL, 'company', window, 7),
    ]);

    expect(funnel).toEqual(await own.funnelAggregates(PORTAL, 'contact', window));
    expect(funnel.dailyMoves.length).toBeGreaterThan(0);
    expect(stock).toEqual(await own.stockAggregates(PORTAL, 'contact', dayOf(JANUARY.start), dayOf(JANUARY.end), 7));
    expect(both).toEqual(await own.funnelAndStockAggregates(PORTAL, 'company', window, 7));
  });

  it("answer whether the portal's aggregates are being rebuilt (null when not) as the serving connection does", async () => {
    workers = new AggregateReadWorkers(temp.url, 1);
    expect(await workers.rebuildProgress(PORTAL)).toBeNull();
    const stopped = new Error('stopped');
    await expect(
      temp.store.rebuildAggregates({
        portalId: PORTAL,
        now: () => JANUARY.end,
        onProgress: () => {
          throw stopped;
        },
      }),
    ).rejects.toBe(stopped);

    const progress = await workers.rebuildProgress(PORTAL);
    expect(progress).toEqual(await temp.store.aggregates.rebuildProgress(PORTAL));
    expect(progress?.recordsDone).toBeGreaterThan(0);
    await temp.store.rebuildAggregates({ portalId: PORTAL, now: () => JANUARY.end });
    expect(await workers.rebuildProgress(PORTAL)).toBeNull();
  });

  it('see what the serving connection committed after they started', async () => {
    workers = new AggregateReadWorkers(temp.url, 1);
    const before = await workers.funnelAggregates(PORTAL, 'contact', window);
    const ledger = literatureLedger();
    const late = ledger.filter((entry) => entry.objectId === ledger[0]!.objectId).map((entry) => ({ ...entry, objectId: 'late-1', transitionId: `late-1:${entry.transitionId}` }));
    await commitHistories(temp.store, PORTAL, late);

    const after = await workers.funnelAggregates(PORTAL, 'contact', window);
    expect(after).toEqual(await temp.store.aggregates.funnelAggregates(PORTAL, 'contact', window));
    expect(after).not.toEqual(before);
  });

  it('fail the calls of a thread that cannot open the database, saying so; the next call starts a thread again', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lc-readers-'));
    const notADatabase = join(folder, 'lifecycle.db');
    writeFileSync(notADatabase, 'this is not a SQLite database, it is a text file of more than one hundred bytes, for SQLite to read a header from');
    try {
      workers = new AggregateReadWorkers(`sqlite:${notADatabase}`, 1);
      const cannotOpen = /report reader thread failed: [\s\S]*cannot open the store at sqlite:[\s\S]*file is not a database \(SQLITE_NOTADB\)/;
      await expect(workers.funnelAggregates(PORTAL, 'contact', window)).rejects.toThrow(cannotOpen);
      await expect(workers.funnelAggregates(PORTAL, 'contact', window)).rejects.toThrow(cannotOpen);
    } finally {
      await workers.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuse calls once closed', async () => {
    workers = new AggregateReadWorkers(temp.url, 1);
    await workers.funnelAggregates(PORTAL, 'contact', window);
    await workers.close();
    await expect(workers.funnelAggregates(PORTAL, 'contact', window)).rejects.toThrow('the report readers were closed');
  });

  it('are what a SQLite file is read through; an in-memory database or PostgreSQL is read by the store itself', async () => {
    const onFile = reportReadsFor(temp.store, { url: temp.url, pgSchema: null });
    expect(onFile.aggregates).toBeInstanceOf(AggregateReadWorkers);
    await onFile.close();
    expect(reportReadsFor(temp.store, { url: 'sqlite::memory:', pgSchema: null }).aggregates).toBe(temp.store.aggregates);
    expect(reportReadsFor(temp.store, { url: 'postgres://postgres@127.0.0.1:5432/test', pgSchema: null }).aggregates).toBe(temp.store.aggregates);
    expect(reportReadsFor(temp.store, undefined).aggregates).toBe(temp.store.aggregates);
  });
});
