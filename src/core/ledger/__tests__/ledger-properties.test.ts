import fc from 'fast-check';
import { seededRandom } from '../../../simulator/faults/seeded-random';
import type { LedgerEntry } from '../../engine/decision';
import { defaultModel } from '../../model';
import { funnelReport } from '../funnel-report';
import { recordKeyString } from '../../engine/record-key';
import { stockAt, stockSeries } from '../stock';
import { HOUR_MS, WALK_EPOCH, interleave, walkLedger, type WalkPlan } from './model-walks';

/** Pinned, so the suite is deterministic; set FC_RUNS / FC_SEED for a deeper or different search (a failure prints its seed). */
const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 100), seed: Number(process.env['FC_SEED'] ?? 20260301) };

const model = defaultModel();

/** Histories of random valid walks over the default model; gaps of 0 hours make same-instant moves. */
const walkPlans = fc.array(
  fc.record({
    startHour: fc.integer({ min: 0, max: 120 * 24 }),
    steps: fc.array(fc.record({ choice: fc.nat(), gapHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 * 24 })) }), { minLength: 1, maxLength: 10 }),
  }),
  { minLength: 1, maxLength: 16 },
);
const histories = walkPlans.map((plans: WalkPlan[]) => walkLedger(model, plans));

/** An instant in the walks' range, often exactly on a row, where boundary mistakes show. */
const instantIn = (rows: LedgerEntry[]) =>
  fc.oneof(
    fc.integer({ min: -24, max: 400 * 24 }).map((h) => WALK_EPOCH + h * HOUR_MS),
    fc.nat().map((i) => rows[i % Math.max(rows.length, 1)]?.occurredAt ?? WALK_EPOCH),
  );

/** Stock by definition, written independently of the sweep: each record's latest row at or before t. */
function stockByDefinition(historiesOf: LedgerEntry[][], t: number): Map<string, number> {
  const stock = new Map<string, number>();
  for (const rows of historiesOf) {
    const latest = rows.filter((row) => row.occurredAt <= t).at(-1);
    if (latest) stock.set(latest.toStage, (stock.get(latest.toStage) ?? 0) + 1);
  }
  return stock;
}

describe('ledger math properties over random valid walks of the default model', () => {
  it('conserves stock: the stages hold every record with a row ≤ t, each where its latest row put it', () => {
    fc.assert(
      fc.property(
        histories.chain((h) => fc.tuple(fc.constant(h), instantIn(h.flat()))),
        ([historiesOf, t]) => {
          const snapshot = stockAt(historiesOf.flat(), model, t);
          const expected = stockByDefinition(historiesOf, t);
          const distinct = new Set(
            historiesOf
              .flat()
              .filter((row) => row.occurredAt <= t)
              .map(recordKeyString),
          ).size;
          expect(snapshot.records).toBe(distinct);
          expect(snapshot.stages.reduce((sum, s) => sum + s.stock, 0)).toBe(distinct);
          for (const stage of snapshot.stages) expect(stage.stock).toBe(expected.get(stage.stageId) ?? 0);
        },
      ),
      RUNS,
    );
  });

  it('keeps flow and stock consistent: beginning + in − out = ending for every stage and any period', () => {
    fc.assert(
      fc.property(
        histories.chain((h) => fc.tuple(fc.constant(h), instantIn(h.flat()), instantIn(h.flat()))),
        ([historiesOf, a, b]) => {
          const rows = historiesOf.flat();
          const period = { start: Math.min(a, b), end: Math.max(a, b) };
          const report = funnelReport(rows, model, period);
          // Rows are whole milliseconds, so the balances are the stock one millisecond before each boundary.
          const before = (t: number) => stockByDefinition(historiesOf, t - 1);
          for (const stage of report.stages) {
            expect(stage.beginning + stage.flowIn - stage.flowOut).toBe(stage.ending);
            expect(stage.beginning).toBe(before(period.start).get(stage.stageId) ?? 0);
            expect(stage.ending).toBe(before(period.end).get(stage.stageId) ?? 0);
            if (stage.sla) expect(stage.sla.due + stage.sla.pastDue).toBe(stage.ending);
          }
          expect(report.stages.reduce((sum, s) => sum + s.ending, 0)).toBe(report.records.ending);
        },
      ),
      RUNS,
    );
  });

  it('accounts for every stay of a CVR cohort exactly once', () => {
    fc.assert(
      fc.property(
        histories.chain((h) => fc.tuple(fc.constant(h), instantIn(h.flat()), instantIn(h.flat()))),
        ([historiesOf, a, b]) => {
          const report = funnelReport(historiesOf.flat(), model, { start: Math.min(a, b), end: Math.max(a, b) });
          for (const { cvr, flowIn, ending } of report.stages) {
            if (!cvr) continue;
            const { converted, dropOuts, otherExits, stillInStage } = cvr;
            expect(converted + dropOuts.recycled + dropOuts.deadEnd + dropOuts.churned + otherExits + stillInStage).toBe(flowIn);
            expect(stillInStage).toBeGreaterThanOrEqual(0);
            expect(stillInStage).toBeLessThanOrEqual(ending);
            expect(cvr.fastpassed).toBeLessThanOrEqual(converted);
          }
          for (const detour of report.detours) expect(detour.returnCvr.returned).toBeLessThanOrEqual(detour.entered);
        },
      ),
      RUNS,
    );
  });

  it('adds up over consecutive periods: flows of [a, c) = flows of [a, b) + flows of [b, c)', () => {
    fc.assert(
      fc.property(
        histories.chain((h) => fc.tuple(fc.constant(h), fc.array(instantIn(h.flat()), { minLength: 3, maxLength: 3 }))),
        ([historiesOf, instants]) => {
          const [a, b, c] = [...instants].sort((x, y) => x - y) as [number, number, number];
          const rows = historiesOf.flat();
          const first = funnelReport(rows, model, { start: a, end: b });
          const second = funnelReport(rows, model, { start: b, end: c });
          const whole = funnelReport(rows, model, { start: a, end: c });
          whole.stages.forEach((stage, i) => {
            expect(second.stages[i]?.beginning).toBe(first.stages[i]?.ending);
            expect(stage.flowIn).toBe((first.stages[i]?.flowIn ?? 0) + (second.stages[i]?.flowIn ?? 0));
            expect(stage.flowOut).toBe((first.stages[i]?.flowOut ?? 0) + (second.stages[i]?.flowOut ?? 0));
            expect(stage.velocity.stays).toBe((first.stages[i]?.velocity.stays ?? 0) + (second.stages[i]?.velocity.stays ?? 0));
          });
          expect(whole.churn.churned).toBe(first.churn.churned + second.churn.churned);
        },
      ),
      RUNS,
    );
  });

  it('does not depend on how the rows of different records interleave', () => {
    fc.assert(
      fc.property(
        histories.chain((h) => fc.tuple(fc.constant(h), instantIn(h.flat()), instantIn(h.flat()), fc.integer())),
        ([historiesOf, a, b, seed]) => {
          const given = historiesOf.flat();
          const shuffled = interleave(historiesOf, seededRandom(seed));
          const period = { start: Math.min(a, b), end: Math.max(a, b) };
          // Serialised, so even the order of keys in the reason counts must match.
          expect(JSON.stringify(funnelReport(shuffled, model, period))).toBe(JSON.stringify(funnelReport(given, model, period)));
          expect(stockSeries(shuffled, model, [a, b])).toEqual(stockSeries(given, model, [a, b]));
        },
      ),
      RUNS,
    );
  });

  it('draws the same chart in one sweep as snapshot by snapshot', () => {
    fc.assert(
      fc.property(
        histories.chain((h) => fc.tuple(fc.constant(h), fc.array(instantIn(h.flat()), { maxLength: 8 }))),
        ([historiesOf, instants]) => {
          const rows = historiesOf.flat();
          const series = stockSeries(rows, model, instants);
          series.points.forEach((point, i) => {
            const snapshot = stockAt(rows, model, instants[i] ?? Number.NaN);
            expect(point.stock).toEqual(Object.fromEntries(snapshot.stages.map((s) => [s.stageId, s.stock])));
          });
        },
      ),
      RUNS,
    );
  });
});
