import fc from 'fast-check';
import type { RecordKey } from '../../../app/ports/store-ports';
import { DAY_MS } from '../../../core/engine/time';
import type { LedgerEntry } from '../../../core';
import {
  aggregateWindow,
  funnelReport,
  funnelReportFromAggregates,
  ledgerAggregates,
  selectFunnelAggregates,
  stockSeries,
  stockSeriesFromAggregates,
  type FunnelReport,
} from '../../../core/ledger';
import { WALK_EPOCH, walkLedger, type WalkPlan } from '../../../core/ledger/__tests__/model-walks';
import { defaultModel } from '../../../core/model';
import { AGGREGATE_TABLES, rebuildLedgerAggregates } from '../ledger-aggregate-rebuild';
import { ledgerEntry, PORTAL, recordCommit, T0 } from './support/fixtures';
import { describeEachDialect, type StoreHarness } from './support/store-harness';

const model = defaultModel();
const WALK_DAY = WALK_EPOCH / DAY_MS;
const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 8), seed: Number(process.env['FC_SEED'] ?? 20261202) };

/** Ledger rows enter as production writes them: a commit for the record, at its current version. */
async function commit(harness: StoreHarness, entries: LedgerEntry[]): Promise<void> {
  const first = entries[0];
  if (!first) return;
  const key: RecordKey = { objectType: first.objectType, objectId: first.objectId };
  const stored = await harness.store.states.get(PORTAL, key);
  const { conflicts } = await harness.store.unitOfWork.commitEvaluations(
    PORTAL,
    [recordCommit(key, first.toStage, { ledger: entries, expectedVersion: stored?.version ?? null })],
    [],
    'w',
    T0,
  );
  expect(conflicts).toEqual([]);
}

type Operation = { op: 'append'; record: number; take: number[] } | { op: 'merge'; winner: number; loser: number } | { op: 'purge'; record: number };

const scenarios = fc
  .array(
    fc.record({
      startHour: fc.integer({ min: 0, max: 90 * 24 }),
      steps: fc.array(fc.record({ choice: fc.nat(), gapHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 * 24 })) }), { minLength: 1, maxLength: 6 }),
    }),
    { minLength: 2, maxLength: 8 },
  )
  .chain((plans: WalkPlan[]) => {
    const histories = walkLedger(model, plans);
    const record = fc.nat({ max: histories.length - 1 });
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ op: fc.constant('append' as const), record, take: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('merge' as const), winner: record, loser: record }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('purge' as const), record }) },
    );
    return fc.tuple(fc.constant(histories), fc.array(operation, { minLength: 1, maxLength: 16 }), fc.integer({ min: 0, max: 150 }), fc.integer({ min: 1, max: 120 }));
  });

/** Plays the operations through the store's writers: commits (rows in a drawn, often late, order), merges, purges. */
async function play(harness: StoreHarness, histories: LedgerEntry[][], operations: Operation[]): Promise<void> {
  const pending = histories.map((h) => [...h]);
  let now = T0;
  for (const operation of operations) {
    now += 1_000;
    if (operation.op === 'append') {
      const rows = pending[operation.record] ?? [];
      const picked: LedgerEntry[] = [];
      for (const n of operation.take) if (rows.length > 0) picked.push(...rows.splice(n % rows.length, 1));
      // One row per commit, so a later commit can carry an earlier row: a late row.
      for (const row of picked) await commit(harness, [row]);
    } else if (operation.op === 'merge') {
      const winner = histories[operation.winner]?.[0];
      const loser = histories[operation.loser]?.[0];
      if (winner && loser && winner.objectType === loser.objectType) await harness.store.mergeRecords(PORTAL, winner.objectType, winner.objectId, [loser.objectId], now);
    } else {
      const first = histories[operation.record]?.[0];
      if (first) await harness.store.purgeRecord(PORTAL, { objectType: first.objectType, objectId: first.objectId }, now);
    }
  }
}

/** What the store's aggregates report, next to what the ledger it holds reports. */
async function bothReports(harness: StoreHarness, objectType: 'contact' | 'company', startOffset: number, length: number): Promise<[FunnelReport, FunnelReport]> {
  const period = { start: (WALK_DAY + startOffset) * DAY_MS, end: (WALK_DAY + startOffset + length) * DAY_MS };
  const window = aggregateWindow(model, period);
  const stored = await harness.store.aggregates.funnelAggregates(PORTAL, objectType, window);
  const ledger = await harness.store.ledger.entries(PORTAL, { objectType });
  const fromLedgerAggregates = funnelReportFromAggregates(selectFunnelAggregates(ledgerAggregates(ledger), window), model, period);
  const fromStore = funnelReportFromAggregates(stored, model, period);
  // Counts: exactly the full ledger's; velocity: exactly what the same aggregates computed from the ledger give.
  expect(withoutVelocity(fromStore)).toEqual(withoutVelocity(funnelReport(ledger, model, period)));
  return [fromStore, fromLedgerAggregates];
}

/**
 * The store's stock series (net change per stage and day, or per stretch of `everyDays` days, summed by SQL) next to
 * the ledger sweep's: a point every `everyDays` days from the first and one at the end, as the Funnel page asks.
 */
async function expectSameStockSeries(harness: StoreHarness, objectType: 'contact' | 'company', startOffset: number, length: number, everyDays = 1): Promise<void> {
  const first = WALK_DAY + startOffset;
  const end = first + Math.min(length, 40) + 1;
  const days = [...Array.from({ length: Math.ceil((end - first) / everyDays) }, (_, i) => first + i * everyDays), end];
  const stored = await harness.store.aggregates.stockAggregates(PORTAL, objectType, first, end, everyDays);
  const series = stockSeriesFromAggregates(stored, model, days);
  const exact = stockSeries(
    await harness.store.ledger.entries(PORTAL, { objectType }),
    model,
    days.map((d) => d * DAY_MS - 1),
  );
  expect(series.stages).toEqual(exact.stages);
  expect(series.points.map((p) => ({ ...p, at: p.at - 1 }))).toEqual(exact.points);
}

/**
 * The Funnel page's one read (funnel and weekly stock series together, the totals before the period's end read once)
 * gives the report and the series that the two reads give.
 */
async function expectOneReadLikeTwo(harness: StoreHarness, objectType: 'contact' | 'company', startOffset: number, length: number): Promise<void> {
  const period = { start: (WALK_DAY + startOffset) * DAY_MS, end: (WALK_DAY + startOffset + length) * DAY_MS };
  const window = aggregateWindow(model, period);
  const days = [...Array.from({ length: Math.ceil(length / 7) }, (_, i) => window.startDay + i * 7), window.endDay];
  const together = await harness.store.aggregates.funnelAndStockAggregates(PORTAL, objectType, window, 7);
  const funnel = await harness.store.aggregates.funnelAggregates(PORTAL, objectType, window);
  const stock = await harness.store.aggregates.stockAggregates(PORTAL, objectType, window.startDay, window.endDay, 7);
  expect(funnelReportFromAggregates(together.funnel, model, period)).toEqual(funnelReportFromAggregates(funnel, model, period));
  expect(stockSeriesFromAggregates(together.stock, model, days)).toEqual(stockSeriesFromAggregates(stock, model, days));
}

const withoutVelocity = (r: FunnelReport) => ({ ...r, stages: r.stages.map(({ velocity, ...rest }) => ({ ...rest, stays: velocity.stays })) });

describeEachDialect('ledger aggregates', (harness) => {
  it('stay equal to the aggregates of the ledger the store holds (report and daily stock series), after commits with late rows, merges and privacy deletions', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async ([histories, operations, startOffset, length]) => {
        await harness.reset();
        await play(harness, histories, operations);
        for (const objectType of ['contact', 'company'] as const) {
          const [fromStore, fromLedger] = await bothReports(harness, objectType, startOffset, length);
          expect(fromStore).toEqual(fromLedger);
          await expectSameStockSeries(harness, objectType, startOffset, length);
          await expectSameStockSeries(harness, objectType, startOffset, length, 7);
          await expectOneReadLikeTwo(harness, objectType, startOffset, length);
        }
      }),
      RUNS,
    );
  });

  it('count a stay that ended after the last exit day an earlier report remembered (that day only chooses an index)', async () => {
    await harness.reset();
    // Plans alternate contact, company: the first and the third are contacts.
    const [early, , late] = walkLedger(model, [
      {
        startHour: 5,
        steps: [
          { choice: 0, gapHours: 0 },
          { choice: 1, gapHours: 30 },
        ],
      },
      { startHour: 5, steps: [{ choice: 0, gapHours: 0 }] },
      {
        startHour: 6,
        steps: [
          { choice: 0, gapHours: 0 },
          { choice: 1, gapHours: 24 * 20 },
        ],
      },
    ]);
    await commit(harness, early!);
    await bothReports(harness, 'contact', 0, 5);
    // A stay that began in the period and ends on day 20, past the last exit day the report above read.
    await commit(harness, late!);
    const [report] = await bothReports(harness, 'contact', 0, 5);
    expect(report.records.ending).toBe(2);
  });

  it('count a replayed commit once: rows already in the ledger add nothing', async () => {
    const [history] = walkLedger(model, [
      {
        startHour: 0,
        steps: [
          { choice: 0, gapHours: 0 },
          { choice: 0, gapHours: 48 },
        ],
      },
    ]);
    await commit(harness, history ?? []);
    await commit(harness, history ?? []);
    const [fromStore] = await bothReports(harness, 'contact', 0, 10);
    expect(fromStore.stages.reduce((sum, s) => sum + s.flowIn, 0)).toBe(history?.length);
  });

  it('find a median whose two middle stays lie in different coarse buckets (read from the coarse table, refined from the fine one)', async () => {
    const [first, second] = model.pathStages.map((s) => s.id);
    const day0 = Math.floor(T0 / DAY_MS) * DAY_MS;
    // Two stays in the first stage: one hour and twenty days (coarse buckets far apart), so the median is their mean.
    for (const [id, stayMs] of [
      ['c-short', 3_600_000],
      ['c-long', 20 * DAY_MS],
    ] as const) {
      await commit(harness, [
        ledgerEntry(`${id}:0`, { objectId: id, fromStage: null, toStage: first ?? '', kind: 'enter', occurredAt: day0 }),
        ledgerEntry(`${id}:1`, { objectId: id, fromStage: first ?? '', toStage: second ?? '', kind: 'advance', occurredAt: day0 + stayMs }),
      ]);
    }
    const period = { start: day0, end: day0 + 30 * DAY_MS };
    const stored = await harness.store.aggregates.funnelAggregates(PORTAL, 'contact', aggregateWindow(model, period));
    const velocity = funnelReportFromAggregates(stored, model, period).stages.find((s) => s.stageId === first)?.velocity;
    expect(velocity?.stays).toBe(2);
    // One stay per bucket: each bucket's mean is the stay itself, so the median is exact.
    expect(velocity?.medianDays).toBeCloseTo((3_600_000 + 20 * DAY_MS) / 2 / DAY_MS, 9);
    expect(velocity?.meanDays).toBeCloseTo((3_600_000 + 20 * DAY_MS) / 2 / DAY_MS, 9);
  });

  it('are rebuilt from the ledger after being lost, resuming where a stopped rebuild left off', async () => {
    const histories = walkLedger(
      model,
      Array.from({ length: 6 }, (_, i) => ({
        startHour: i * 30,
        steps: [
          { choice: i, gapHours: 0 },
          { choice: i + 1, gapHours: 50 },
          { choice: 2, gapHours: 400 },
        ],
      })),
    );
    for (const history of histories) await commit(harness, history);
    const [before] = await bothReports(harness, 'contact', 0, 60);
    await harness.db.deleteFrom('ledger_move_days').execute();
    await harness.db.deleteFrom('ledger_stay_days').execute();

    const stopped = new Error('stopped in the second step');
    let checkpoint: RecordKey | null = null;
    await expect(
      rebuildLedgerAggregates(harness.db, {
        portalId: PORTAL,
        recordsPerStep: 2,
        onStep: (progress) => {
          if (progress.recordsDone > 2) throw stopped;
          checkpoint = progress.after;
        },
      }),
    ).rejects.toBe(stopped);
    expect(checkpoint).not.toBeNull();
    // The second step rolled back with the error; the first stands, so the rebuild resumes after its last record.
    await rebuildLedgerAggregates(harness.db, { portalId: PORTAL, recordsPerStep: 2, resumeAfter: checkpoint });
    const [after] = await bothReports(harness, 'contact', 0, 60);
    expect(after).toEqual(before);
  });

  it('are built by the migrations (0008, then its rollups in 0011, coarse durations and daily stock in 0015, the 4- and 64-day blocks in 0019 and the covering indexes in 0023 and 0025, with 0009 and 0013 between, and 0014, 0016, 0017, 0018 and 0026 after) for a database whose ledger predates them', async () => {
    const histories = walkLedger(model, [
      {
        startHour: 5,
        steps: [
          { choice: 0, gapHours: 0 },
          { choice: 1, gapHours: 30 },
          { choice: 0, gapHours: 90 },
        ],
      },
    ]);
    for (const history of histories) await commit(harness, history);
    const [before] = await bothReports(harness, 'contact', 0, 30);
    for (const table of AGGREGATE_TABLES) await harness.db.schema.dropTable(table).execute();
    // A database from before 0008 has none of the later migrations either: undo 0009 (model revisions) too.
    await harness.db.schema.dropTable('model_revisions').execute();
    await harness.db.schema.alterTable('ledger').dropColumn('model_revision').execute();
    // ...and 0013 (the app pages' indexes and blocked workflow actions).
    for (const index of ['ledger_recent_idx', 'ledger_recent_stage_idx', 'ledger_recent_kind_idx', 'inbox_events_received_idx', 'inbox_events_open_received_idx']) {
      await harness.db.schema.dropIndex(index).execute();
    }
    await harness.db.schema.dropTable('blocked_action_executions').execute();
    // 0015's indexes went with the tables they index; 0014 (stored record properties), 0016 (the outbox's status index)
    // and 0018 (the inbox claim's index) go too; 0017 indexes model_revisions, dropped above with 0009.
    await harness.db.schema.dropTable('record_properties').execute();
    await harness.db.schema.dropIndex('outbox_status_idx').execute();
    await harness.db.schema.dropIndex('inbox_events_claim_idx').execute();
    // 0023's covering indexes went with the aggregate tables; it runs again after 0015 and drops 0015's bucket indexes.
    await harness.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, 'in', [
        '0008-ledger-aggregates',
        '0009-model-revisions',
        '0011-ledger-aggregate-rollups',
        '0013-pages-and-blocked-actions',
        '0014-record-properties',
        '0015-report-coarse-durations-and-stock',
        '0016-outbox-status-index',
        '0017-one-draft-per-portal',
        '0018-claim-indexes',
        '0019-base-4-rollup-spans',
        '0023-report-covering-indexes',
        '0025-fine-durations-by-day',
        // 0026 adds a column to record_properties, dropped above with 0014.
        '0026-record-property-observed-at',
      ] as never)
      .execute();

    await harness.reopen();
    // 0014 ran: the table is there, empty (records get their values when next evaluated).
    expect((await harness.store.recordProperties.getMany(PORTAL, [{ objectType: 'contact', objectId: histories[0]![0]!.objectId }])).get(`contact:${histories[0]![0]!.objectId}`)).toEqual(
      [],
    );

    const [after] = await bothReports(harness, 'contact', 0, 30);
    expect(after).toEqual(before);
    expect(after.stages.reduce((sum, s) => sum + s.flowIn, 0)).toBeGreaterThan(0);
  });

  it('get the 4- and 64-day blocks the writers keep from migration 0019 when a database has only the 16- and 256-day ones', async () => {
    const histories = walkLedger(
      model,
      Array.from({ length: 8 }, (_, i) => ({
        startHour: i * 11 * 24 + i,
        steps: [
          { choice: i, gapHours: 0 },
          { choice: i + 1, gapHours: 20 + i * 30 },
          { choice: 2, gapHours: 24 * (10 + i * 9) },
          { choice: i + 2, gapHours: 24 * 40 },
        ],
      })),
    );
    for (const history of histories) await commit(harness, history);
    // A stay of no time at all: fine bucket −1, whose coarse bucket is −1 too (floor, not truncation toward zero).
    const [first, second] = model.pathStages.map((stage) => stage.id);
    await commit(harness, [
      ledgerEntry('instant:0', { objectId: 'instant', fromStage: null, toStage: first ?? '', kind: 'enter', occurredAt: WALK_EPOCH + 70 * DAY_MS }),
      ledgerEntry('instant:1', { objectId: 'instant', fromStage: first ?? '', toStage: second ?? '', kind: 'advance', occurredAt: WALK_EPOCH + 70 * DAY_MS }),
    ]);
    const written = await newSpanRows(harness);
    for (const rows of Object.values(written)) expect(rows.length).toBeGreaterThan(0);
    expect(written.ledger_duration_coarse.some((row) => Number(row['coarse']) === -1)).toBe(true);
    const [before] = await bothReports(harness, 'contact', 0, 150);

    for (const table of SPAN_TABLES) await harness.db.deleteFrom(table).where('span', 'in', [4, 64]).execute();
    await harness.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', '0019-base-4-rollup-spans' as never)
      .execute();
    await harness.reopen();

    // The same rows (up to blocks whose moves cancelled out within one commit: never written, read as zero alike).
    expect(await newSpanRows(harness)).toEqual(written);
    const [after] = await bothReports(harness, 'contact', 0, 150);
    expect(after).toEqual(before);
  });
});

const SPAN_TABLES = ['ledger_move_spans', 'ledger_stay_entries', 'ledger_duration_spans', 'ledger_duration_coarse'] as const;

/** The rows of the 4- and 64-day blocks with a non-zero count, per table, in key order. */
async function newSpanRows(harness: StoreHarness): Promise<Record<(typeof SPAN_TABLES)[number], Array<Record<string, unknown>>>> {
  const read = async (table: (typeof SPAN_TABLES)[number], count: 'moves' | 'stays') => {
    const rows = await harness.db.selectFrom(table).selectAll().where('span', 'in', [4, 64]).execute();
    return rows
      .filter((row) => Number((row as Record<string, unknown>)[count]) !== 0)
      .map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, typeof value === 'bigint' ? Number(value) : value])))
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  };
  return {
    ledger_move_spans: await read('ledger_move_spans', 'moves'),
    ledger_stay_entries: await read('ledger_stay_entries', 'stays'),
    ledger_duration_spans: await read('ledger_duration_spans', 'stays'),
    ledger_duration_coarse: await read('ledger_duration_coarse', 'stays'),
  };
}
