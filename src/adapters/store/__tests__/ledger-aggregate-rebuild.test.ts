import type { RecordCommit, RecordKey } from '../../../app/ports/store-ports';
import type { LedgerEntry } from '../../../core';
import { DAY_MS } from '../../../core/engine/time';
import { AGGREGATE_TABLES, beginRebuild, rebuildLedgerAggregates, rebuildStep } from '../ledger-aggregate-rebuild';
import { contact, ledgerEntry, PORTAL, recordCommit, T0 } from './support/fixtures';
import { describeEachDialect, type StoreHarness } from './support/store-harness';

/**
 * `lifecycle aggregates rebuild` on a live system: writers commit while a rebuild of the portal's aggregates is under
 * way or stopped midway, and the aggregates come out as a rebuild of the finished ledger would make them: a change
 * to a record the rebuild had reached is counted by the writer, one to a record it had not is left to the rebuild.
 */

/** A rebuild step takes 1,000 records: 2,100 make two steps and a bit. */
const RECORDS = 2_100;
const HOUR = 3_600_000;

const id = (n: number) => `c-${String(n).padStart(4, '0')}`;

/** Record n: entered Lead, and (most) moved on to MQL and some to SQL, over a few weeks. */
function historyOf(objectId: string, n: number): LedgerEntry[] {
  const entered = T0 - (n % 40) * DAY_MS;
  const rows = [ledgerEntry(`${objectId}:0`, { objectId, fromStage: null, toStage: 'lead', kind: 'enter', occurredAt: entered })];
  if (n % 4 !== 0) rows.push(ledgerEntry(`${objectId}:1`, { objectId, fromStage: 'lead', toStage: 'mql', occurredAt: entered + (n % 9) * DAY_MS + HOUR }));
  if (n % 3 === 0 && n % 4 !== 0) rows.push(ledgerEntry(`${objectId}:2`, { objectId, fromStage: 'mql', toStage: 'sql', occurredAt: entered + 12 * DAY_MS }));
  return rows;
}

async function seed(harness: StoreHarness, records: number): Promise<void> {
  const commits: RecordCommit[] = Array.from({ length: records }, (_, i) => {
    const objectId = id(i + 1);
    return recordCommit(contact(objectId), 'lead', { ledger: historyOf(objectId, i + 1) });
  });
  for (let at = 0; at < commits.length; at += 500) {
    const { conflicts } = await harness.store.unitOfWork.commitEvaluations(PORTAL, commits.slice(at, at + 500), [], 'w', T0);
    expect(conflicts).toEqual([]);
  }
}

/** A commit of ledger rows for one record, as the worker makes it (at the record's current version). */
async function commit(harness: StoreHarness, objectId: string, entries: LedgerEntry[]): Promise<void> {
  const key: RecordKey = contact(objectId);
  const stored = await harness.store.states.get(PORTAL, key);
  const { conflicts } = await harness.store.unitOfWork.commitEvaluations(
    PORTAL,
    [recordCommit(key, entries.at(-1)?.toStage ?? 'lead', { ledger: entries, expectedVersion: stored?.version ?? null })],
    [],
    'w',
    T0,
  );
  expect(conflicts).toEqual([]);
}

/** A move to SQL a day after T0 (the record's last row). */
const laterMove = (objectId: string) => [ledgerEntry(`${objectId}:later`, { objectId, fromStage: 'mql', toStage: 'sql', occurredAt: T0 + DAY_MS })];
/** A row dated before the record's first: a late row, which changes the record's first move and its first stay. */
const lateRow = (objectId: string) => [ledgerEntry(`${objectId}:late`, { objectId, fromStage: null, toStage: 'lead', kind: 'enter', occurredAt: T0 - 60 * DAY_MS })];

/** Every aggregate row of the portal whose counts are not zero (a delta may leave a zero where a rebuild writes nothing), sorted. */
async function aggregateRows(harness: StoreHarness): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const table of AGGREGATE_TABLES) {
    const all = (await harness.db.selectFrom(table).selectAll().where('portal_id', '=', PORTAL).execute()) as Array<Record<string, unknown>>;
    const counted = all.filter((row) => ['moves', 'stays', 'total_ms', 'delta'].some((column) => column in row && Number(row[column]) !== 0));
    rows[table] = counted.map((row) => JSON.stringify(Object.entries(row).map(([column, value]) => [column, typeof value === 'bigint' ? Number(value) : value]))).sort();
  }
  return rows;
}

/** The aggregates as they are, next to what a rebuild of the ledger as it now is makes of them (nothing writing). */
async function expectAggregatesOfTheLedger(harness: StoreHarness): Promise<void> {
  const kept = await aggregateRows(harness);
  await rebuildLedgerAggregates(harness.db, { portalId: PORTAL });
  const rebuilt = await aggregateRows(harness);
  expect(kept['ledger_move_totals']?.length).toBeGreaterThan(0);
  for (const table of AGGREGATE_TABLES) expect({ table, rows: kept[table] }).toEqual({ table, rows: rebuilt[table] });
}

const stopped = new Error('stopped after the second step');

/** Runs the rebuild until its second step has been reported, and stops it there (as a crash or Ctrl-C would). */
async function rebuildStoppedMidway(harness: StoreHarness): Promise<void> {
  await expect(
    harness.store.rebuildAggregates({
      portalId: PORTAL,
      now: () => T0,
      onProgress: (progress) => {
        if (progress.recordsDone > 1_000) throw stopped;
      },
    }),
  ).rejects.toBe(stopped);
}

describeEachDialect('ledger aggregates rebuilt while writers commit', (harness) => {
  beforeEach(() => seed(harness, RECORDS));

  it('count once a commit made while a rebuild is stopped midway, to a record it has reached and to one it has not', async () => {
    await rebuildStoppedMidway(harness);

    await commit(harness, id(1), laterMove(id(1))); // reached
    await commit(harness, id(2_100), laterMove(id(2_100))); // not reached
    await commit(harness, id(2_050), lateRow(id(2_050))); // not reached, a late row
    await commit(harness, id(5), lateRow(id(5))); // reached, a late row
    await commit(harness, 'c-0000', historyOf('c-0000', 7)); // a new record before the cursor
    await commit(harness, 'c-9999', historyOf('c-9999', 7)); // a new record after every other
    await harness.store.rebuildAggregates({ portalId: PORTAL, now: () => T0 });

    await expectAggregatesOfTheLedger(harness);
  });

  it('count once a merge or a privacy deletion made while a rebuild is stopped midway, whichever of the records it has reached', async () => {
    await rebuildStoppedMidway(harness);

    await harness.store.mergeRecords(PORTAL, 'contact', id(2_060), [id(2)], T0); // winner not reached, loser reached
    await harness.store.mergeRecords(PORTAL, 'contact', id(3), [id(2_070)], T0); // winner reached, loser not
    await harness.store.mergeRecords(PORTAL, 'contact', id(2_090), [id(2_091)], T0); // neither reached
    await harness.store.purgeRecord(PORTAL, contact(id(4)), T0); // reached
    await harness.store.purgeRecord(PORTAL, contact(id(2_080)), T0); // not reached
    await harness.store.rebuildAggregates({ portalId: PORTAL, now: () => T0 });

    await expectAggregatesOfTheLedger(harness);
  });

  it('say how far a stopped rebuild got, of about how many records, and count on from there when it resumes', async () => {
    expect(await harness.store.aggregates.rebuildProgress(PORTAL)).toBeNull();
    await rebuildStoppedMidway(harness);
    expect(await harness.store.aggregates.rebuildProgress(PORTAL)).toEqual({ recordsDone: 2_000, recordsTotal: RECORDS });

    const resumed: unknown[] = [];
    await harness.store.rebuildAggregates({ portalId: PORTAL, now: () => T0, onProgress: (progress) => void resumed.push(progress) });

    expect(resumed).toEqual([{ portalId: PORTAL, after: contact(id(RECORDS)), recordsDone: RECORDS, recordsTotal: RECORDS, resumed: true }]);
    expect(await harness.store.aggregates.rebuildProgress(PORTAL)).toBeNull();
  });

  it('count once a commit and a merge made between two steps of a running rebuild', async () => {
    await harness.store.rebuildAggregates({
      portalId: PORTAL,
      now: () => T0,
      onProgress: async (progress) => {
        if (progress.recordsDone !== 1_000) return;
        await commit(harness, id(1_500), laterMove(id(1_500))); // the next step's
        await harness.store.mergeRecords(PORTAL, 'contact', id(10), [id(1_990)], T0);
      },
    });

    await expectAggregatesOfTheLedger(harness);
  });

  if (harness.dialect === 'postgres') {
    describe('with several connections (PostgreSQL, READ COMMITTED)', () => {
      const STEP = { recordsPerStep: 700, now: T0 };
      const settledWithin = async (promise: Promise<unknown>, ms: number) =>
        Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

      it("a commit waits for the step under way and then counts its record if the step reached it: the step's read did not see it", async () => {
        await beginRebuild(harness.db, 'postgres', PORTAL, T0);
        await rebuildStep(harness.db, 'postgres', PORTAL, STEP); // c-0001 … c-0700
        let commits: Promise<unknown> = Promise.resolve();
        await harness.db.transaction().execute(async (trx) => {
          await rebuildStep(trx, 'postgres', PORTAL, STEP); // c-0701 … c-1400, not committed yet
          commits = Promise.all([
            commit(harness, id(1_000), laterMove(id(1_000))), // in this step
            commit(harness, 'c-1000a', historyOf('c-1000a', 5)), // a new record inside this step's range
            commit(harness, id(2_000), laterMove(id(2_000))), // after it
          ]);
          expect(await settledWithin(commits, 400)).toBe(false);
        });
        await commits;
        await harness.store.rebuildAggregates({ portalId: PORTAL, now: () => T0 });

        await expectAggregatesOfTheLedger(harness);
      });

      it('a commit that meets the start of a rebuild (aggregates emptied, cursor set) waits for it and then leaves its record to the rebuild', async () => {
        let commits: Promise<unknown> = Promise.resolve();
        await harness.db.transaction().execute(async (trx) => {
          await beginRebuild(trx, 'postgres', PORTAL, T0);
          commits = Promise.all([commit(harness, id(1), laterMove(id(1))), commit(harness, 'c-9999', historyOf('c-9999', 3))]);
          expect(await settledWithin(commits, 400)).toBe(false);
        });
        await commits;
        await harness.store.rebuildAggregates({ portalId: PORTAL, now: () => T0 });

        await expectAggregatesOfTheLedger(harness);
      });

      it('a commit that meets the end of a rebuild (no record left, cursor removed) waits for it and then counts its record itself', async () => {
        await beginRebuild(harness.db, 'postgres', PORTAL, T0);
        for (let done = 0; done < RECORDS; done += STEP.recordsPerStep) await rebuildStep(harness.db, 'postgres', PORTAL, STEP);
        let commits: Promise<unknown> = Promise.resolve();
        await harness.db.transaction().execute(async (trx) => {
          expect(await rebuildStep(trx, 'postgres', PORTAL, STEP)).toBeNull(); // the last: removes the cursor
          commits = Promise.all([commit(harness, id(RECORDS), laterMove(id(RECORDS))), commit(harness, 'c-9999', historyOf('c-9999', 3))]);
          expect(await settledWithin(commits, 400)).toBe(false);
        });
        await commits;

        expect(await harness.store.aggregates.rebuildProgress(PORTAL)).toBeNull();
        await expectAggregatesOfTheLedger(harness);
      });
    });
  }
});
