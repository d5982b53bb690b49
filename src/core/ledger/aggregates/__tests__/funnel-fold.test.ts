import fc from 'fast-check';
import type { LedgerEntry } from '../../../engine/decision';
import { DAY_MS } from '../../../engine/time';
import { defaultModel } from '../../../model';
import { WALK_EPOCH, walkLedger, type WalkPlan } from '../../__tests__/model-walks';
import { aggregateWindow, type AggregateWindow } from '../aggregate-report';
import { FunnelFold } from '../funnel-fold';
import { ledgerAggregates } from '../ledger-aggregates';
import { selectFunnelAggregates } from '../select-aggregates';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 200), seed: Number(process.env['FC_SEED'] ?? 20261205) };
const model = defaultModel();
const WALK_DAY = WALK_EPOCH / DAY_MS;

const plans = fc.array(
  fc.record({
    startHour: fc.integer({ min: 0, max: 200 * 24 }),
    steps: fc.array(fc.record({ choice: fc.nat(), gapHours: fc.oneof(fc.constant(0), fc.constant(24), fc.integer({ min: 1, max: 60 * 24 })) }), { minLength: 1, maxLength: 8 }),
  }),
  { minLength: 1, maxLength: 12 },
);

/** A report's window (summed between the model's cuts) or a stock series' (day by day), anywhere around the histories. */
const windows: fc.Arbitrary<AggregateWindow> = fc.tuple(fc.integer({ min: -5, max: 320 }), fc.integer({ min: 0, max: 200 }), fc.boolean()).map(([offset, length, daily]) => {
  const startDay = WALK_DAY + offset;
  return daily ? { firstDay: startDay, startDay, endDay: startDay + length } : aggregateWindow(model, { start: startDay * DAY_MS, end: (startDay + length) * DAY_MS });
});

/** Each record's rows in a drawn order (late rows): the fold, like the aggregates, takes them in the order they happened. */
const shuffled = (histories: LedgerEntry[][], keys: number[]) =>
  histories.map((rows, r) =>
    rows
      .map((row, i) => ({ row, key: keys[(r * 8 + i) % keys.length] ?? 0 }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.row),
  );

describe('a funnel fold: one window of the ledger, summed record by record', () => {
  it("equals what a report over the window reads from the whole ledger's aggregates, in the same order", () => {
    fc.assert(
      fc.property(plans, windows, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (drawn: WalkPlan[], window, keys) => {
        const histories = shuffled(walkLedger(model, drawn), keys);
        const fold = new FunnelFold(window);
        for (const history of histories) fold.addRecord(history);

        expect(fold.funnel()).toEqual(selectFunnelAggregates(ledgerAggregates(histories.flat()), window));
      }),
      RUNS,
    );
  });

  it('folds of consecutive parts of the records, added in order, equal the fold of all of them (what crosses threads)', () => {
    fc.assert(
      fc.property(plans, windows, fc.nat(), (drawn: WalkPlan[], window, cut) => {
        const histories = walkLedger(model, drawn);
        const at = cut % (histories.length + 1);
        const whole = new FunnelFold(window);
        histories.forEach((history) => whole.addRecord(history));
        const [first, second] = [histories.slice(0, at), histories.slice(at)].map((part) => {
          const fold = new FunnelFold(window);
          part.forEach((history) => fold.addRecord(history));
          return structuredClone(fold.counts());
        });

        const combined = new FunnelFold(window).addCounts(first!).addCounts(second!);
        expect(combined.counts()).toEqual(whole.counts());
        expect(combined.funnel()).toEqual(whole.funnel());
      }),
      RUNS,
    );
  });

  it('holds stages × intervals, not days: ten years of daily moves a year before a 30-day report are one total per move', () => {
    const rows = Array.from({ length: 3650 }, (_, day): LedgerEntry => ({
      ...walkLedger(model, [{ startHour: 0, steps: [{ choice: 0, gapHours: 0 }] }])[0]![0]!,
      occurredAt: WALK_EPOCH + day * DAY_MS,
    }));
    const startDay = WALK_DAY + 3650 + 365;
    const fold = new FunnelFold(aggregateWindow(model, { start: startDay * DAY_MS, end: (startDay + 30) * DAY_MS }));
    rows.forEach((row, i) => fold.addRecord([{ ...row, objectId: String(i) }]));

    expect(fold.funnel().movesBefore).toEqual([{ fromStage: '', toStage: rows[0]!.toStage, skipped: '[]', count: 3650 }]);
    expect(fold.counts().dailyMoves).toEqual([]);
  });
});
