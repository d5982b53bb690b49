import fc from 'fast-check';
import type { LedgerEntry } from '../../../engine/decision';
import { DAY_MS } from '../../../engine/time';
import { defaultModel } from '../../../model';
import { funnelReport } from '../../funnel-report';
import { recordKeyString } from '../../../engine/record-key';
import { slot } from '../../list-access';
import type { FunnelReport } from '../../report-types';
import { stockSeries } from '../../stock';
import { HOUR_MS, WALK_EPOCH, walkLedger, type WalkPlan } from '../../__tests__/model-walks';
import { aggregateWindow, funnelReportFromAggregates, stockAggregatesOf, stockSeriesFromAggregates } from '../aggregate-report';
import { DURATION_RELATIVE_PRECISION } from '../duration-buckets';
import { aggregateDelta, LedgerAggregates } from '../ledger-aggregates';
import { selectFunnelAggregates } from '../select-aggregates';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 200), seed: Number(process.env['FC_SEED'] ?? 20261202) };
const model = defaultModel();
const WALK_DAY = WALK_EPOCH / DAY_MS;

/** A stored row with the order the store keeps: by occurredAt, then the order rows were appended. */
type Stored = LedgerEntry & { seq: number };

/**
 * A ledger as the store holds it, with aggregates maintained the way the store maintains them: every change
 * reads the histories of the records it touches before and after, and adds the difference.
 */
class MaintainedLedger {
  private rows: Stored[] = [];
  private seq = 0;
  readonly aggregates = new LedgerAggregates();

  append(entries: readonly LedgerEntry[]): void {
    const touched = [...new Set(entries.map(recordKeyString))];
    this.change(touched, touched, () => {
      for (const entry of entries) this.rows.push({ ...entry, seq: this.seq++ });
    });
  }

  merge(objectType: LedgerEntry['objectType'], winner: string, loser: string): void {
    const keys = [`${objectType}:${winner}`, `${objectType}:${loser}`];
    this.change(keys, keys, () => {
      this.rows = this.rows.map((row) => (recordKeyString(row) === keys[1] ? { ...row, objectId: winner } : row));
    });
  }

  purge(key: string): void {
    this.change([key], [key], () => {
      this.rows = this.rows.filter((row) => recordKeyString(row) !== key);
    });
  }

  /** Every row, in the store's order. */
  ledger(): Stored[] {
    return [...this.rows].sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq);
  }

  private change(before: string[], after: string[], mutate: () => void): void {
    const historiesOf = (keys: string[]) => keys.map((key) => this.ledger().filter((row) => recordKeyString(row) === key));
    const old = historiesOf(before);
    mutate();
    this.aggregates.addAll(aggregateDelta(old, historiesOf(after)));
  }
}

type Operation = { op: 'append'; record: number; order: number[] } | { op: 'merge'; winner: number; loser: number } | { op: 'purge'; record: number };

const walkPlans = fc.array(
  fc.record({
    startHour: fc.integer({ min: 0, max: 200 * 24 }),
    steps: fc.array(fc.record({ choice: fc.nat(), gapHours: fc.oneof(fc.constant(0), fc.constant(24), fc.integer({ min: 1, max: 60 * 24 })) }), {
      minLength: 1,
      maxLength: 8,
    }),
  }),
  { minLength: 1, maxLength: 12 },
);

/** Histories, then operations on them: appends in any order (late rows), merges and privacy deletions. */
const scenarios = walkPlans.chain((plans: WalkPlan[]) => {
  const histories = walkLedger(model, plans);
  const record = fc.nat({ max: histories.length - 1 });
  const operation: fc.Arbitrary<Operation> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('append' as const), record, order: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('merge' as const), winner: record, loser: record }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('purge' as const), record }) },
  );
  // The period starts on a random day or, as often, on the day of a stored row, where boundary mistakes show.
  const startOffset = fc.oneof(
    fc.integer({ min: -5, max: 320 }).map((d) => () => d),
    fc.nat().map((i) => (rows: LedgerEntry[]) => (rows.length === 0 ? 0 : Math.floor(slot(rows, i % rows.length).occurredAt / DAY_MS) - WALK_DAY)),
  );
  return fc.tuple(fc.constant(histories), fc.array(operation, { minLength: 1, maxLength: 30 }), startOffset, fc.integer({ min: 0, max: 200 }));
});

/** Runs the operations; each append adds the rows of one record not yet added, in a drawn (possibly late) order. */
function play(histories: LedgerEntry[][], operations: Operation[]): MaintainedLedger {
  const ledger = new MaintainedLedger();
  const pending = histories.map((h) => [...h]);
  for (const operation of operations) {
    if (operation.op === 'append') {
      const rows = pending[operation.record] ?? [];
      const picked: LedgerEntry[] = [];
      for (const n of operation.order) if (rows.length > 0) picked.push(...rows.splice(n % rows.length, 1));
      if (picked.length > 0) ledger.append(picked);
    } else if (operation.op === 'merge') {
      const winner = histories[operation.winner]?.[0];
      const loser = histories[operation.loser]?.[0];
      if (winner && loser && winner.objectType === loser.objectType && winner.objectId !== loser.objectId) ledger.merge(winner.objectType, winner.objectId, loser.objectId);
    } else {
      const first = histories[operation.record]?.[0];
      if (first) ledger.purge(recordKeyString(first));
    }
  }
  return ledger;
}

/** The report with velocity split off: counts must be equal, velocity within its documented precision. */
function expectSameReport(fromAggregates: FunnelReport, fromLedger: FunnelReport): void {
  const withoutVelocity = (r: FunnelReport) => ({ ...r, stages: r.stages.map(({ velocity, ...rest }) => ({ ...rest, stays: velocity.stays })) });
  expect(withoutVelocity(fromAggregates)).toEqual(withoutVelocity(fromLedger));
  fromLedger.stages.forEach((stage, i) => {
    const ours = fromAggregates.stages[i]?.velocity;
    const exact = stage.velocity;
    if (exact.meanDays === null || exact.medianDays === null) return expect(ours).toEqual(exact);
    expect(ours?.meanDays).toBeCloseTo(exact.meanDays, 6);
    expect(Math.abs((ours?.medianDays ?? NaN) - exact.medianDays)).toBeLessThanOrEqual(exact.medianDays * DURATION_RELATIVE_PRECISION + 1e-9);
  });
}

describe('funnel report from aggregates maintained under appends, late rows, merges and deletions', () => {
  it('equals the report computed from the full ledger, for any whole-day period', () => {
    fc.assert(
      fc.property(scenarios, ([histories, operations, startOn, length]) => {
        const ledger = play(histories, operations);
        const startOffset = startOn(ledger.ledger());
        const period = { start: (WALK_DAY + startOffset) * DAY_MS, end: (WALK_DAY + startOffset + length) * DAY_MS };
        const selected = selectFunnelAggregates(ledger.aggregates, aggregateWindow(model, period));
        expectSameReport(funnelReportFromAggregates(selected, model, period), funnelReport(ledger.ledger(), model, period));
      }),
      RUNS,
    );
  });

  it('gives the same daily stock series as the ledger sweep, one millisecond before each midnight', () => {
    fc.assert(
      fc.property(scenarios, ([histories, operations, startOn, length]) => {
        const ledger = play(histories, operations);
        const startOffset = startOn(ledger.ledger());
        const days = Array.from({ length: Math.min(length, 40) + 1 }, (_, i) => WALK_DAY + startOffset + i);
        const first = WALK_DAY + startOffset;
        const window = { firstDay: first, startDay: first, endDay: (days.at(-1) ?? first) + 1 };
        const series = stockSeriesFromAggregates(stockAggregatesOf(selectFunnelAggregates(ledger.aggregates, window)), model, days);
        const exact = stockSeries(
          ledger.ledger(),
          model,
          days.map((d) => d * DAY_MS - 1),
        );
        expect(series.stages).toEqual(exact.stages);
        expect(series.points.map((p) => ({ ...p, at: p.at - 1 }))).toEqual(exact.points);
      }),
      RUNS,
    );
  });

  it('cancels to nothing when a record is deleted after any history', () => {
    fc.assert(
      fc.property(scenarios, ([histories, operations]) => {
        const ledger = play(histories, operations);
        for (const history of histories) if (history[0]) ledger.purge(recordKeyString(history[0]));
        expect(ledger.aggregates.withoutZeros().moves.size + ledger.aggregates.stays.size + ledger.aggregates.durations.size).toBe(0);
      }),
      { ...RUNS, numRuns: Math.ceil(RUNS.numRuns / 4) },
    );
  });

  it('rejects a period that does not start and end at midnight UTC', () => {
    expect(() => aggregateWindow(model, { start: WALK_EPOCH + HOUR_MS, end: WALK_EPOCH + DAY_MS })).toThrow(/midnight/);
  });
});
