import { seededRandom } from '../../../simulator/faults/seeded-random';
import { DAY_MS } from '../../engine/time';
import { defaultModel } from '../../model';
import { funnelReport } from '../funnel-report';
import { stockAt, stockSeries } from '../stock';
import { WALK_EPOCH, interleave, walkLedger, type WalkPlan } from './model-walks';

const model = defaultModel();
const ROWS = 100_000;

/** Seeded walks until the ledger holds 100,000 rows, interleaved across records as a live ledger would be. */
function bigLedger() {
  const random = seededRandom(20_250_101);
  const plans: WalkPlan[] = [];
  let rows = 0;
  while (rows < ROWS) {
    const length = Math.min(1 + Math.floor(random() * 9), ROWS - rows);
    plans.push({
      startHour: Math.floor(random() * 365 * 24),
      steps: Array.from({ length }, () => ({ choice: Math.floor(random() * 1_000), gapHours: Math.floor(random() * 40 * 24) })),
    });
    rows += length;
  }
  const histories = walkLedger(model, plans);
  return { records: histories.length, rows: interleave(histories, random) };
}

describe('ledger math on 100,000 rows', () => {
  const { records, rows } = bigLedger();
  const quarter = { start: WALK_EPOCH + 90 * DAY_MS, end: WALK_EPOCH + 180 * DAY_MS };
  const report = funnelReport(rows, model, quarter);

  it('builds the ledger it claims to', () => {
    expect(rows).toHaveLength(ROWS);
  });

  it('balances every stage: beginning + in − out = ending, and the stages hold every record', () => {
    for (const stage of report.stages) expect(stage.beginning + stage.flowIn - stage.flowOut).toBe(stage.ending);
    const sum = (pick: (s: (typeof report.stages)[number]) => number) => report.stages.reduce((total, s) => total + pick(s), 0);
    expect(sum((s) => s.beginning)).toBe(report.records.beginning);
    expect(sum((s) => s.ending)).toBe(report.records.ending);
    expect(sum((s) => s.flowIn) - sum((s) => s.flowOut)).toBe(report.records.ending - report.records.beginning);
  });

  it('puts every record somewhere once the whole ledger has happened', () => {
    const last = rows.reduce((latest, row) => Math.max(latest, row.occurredAt), -Infinity);
    const snapshot = stockAt(rows, model, last);
    expect(snapshot.records).toBe(records);
    expect(snapshot.stages.reduce((total, s) => total + s.stock, 0)).toBe(records);
  });

  it('agrees with its own stock series at the period boundaries', () => {
    // Rows are whole hours, so the stock one millisecond before a boundary is the balance at it.
    const [atStart, atEnd] = stockSeries(rows, model, [quarter.start - 1, quarter.end - 1]).points;
    for (const stage of report.stages) {
      expect(atStart?.stock[stage.stageId]).toBe(stage.beginning);
      expect(atEnd?.stock[stage.stageId]).toBe(stage.ending);
    }
  });

  it('accounts for every CVR cohort stay once and keeps conversion rates within [0, 1]', () => {
    for (const { cvr, flowIn } of report.stages) {
      if (!cvr) continue;
      const { converted, dropOuts, otherExits, stillInStage } = cvr;
      expect(converted + dropOuts.recycled + dropOuts.deadEnd + dropOuts.churned + otherExits + stillInStage).toBe(flowIn);
      expect(cvr.rate === null || (cvr.rate >= 0 && cvr.rate <= 1)).toBe(true);
    }
  });

  it('counts every churn row of the period, over the customers at its start', () => {
    const inQuarter = rows.filter((row) => row.kind === 'churn' && row.occurredAt >= quarter.start && row.occurredAt < quarter.end);
    expect(report.churn.churned).toBe(inQuarter.length);
    const customerStock = report.stages.filter((s) => model.customerStages.has(s.stageId)).reduce((total, s) => total + s.beginning, 0);
    expect(report.churn.customersAtStart).toBe(customerStock);
    expect(report.churn.rate).toBe(inQuarter.length / customerStock);
  });
});
