import { defaultModel } from '../../../core';
import { listReportablePortals, loadFunnelReport, loadStockSeries, type ReportingDeps, type ReportScope } from '..';
import { day, JANUARY, literatureLedger, oneCompanyCustomer } from './support/literature-ledger';
import { commitHistories } from './support/seed-ledger';
import { openTempStore, type TempStore } from './support/temp-store';

const PORTAL = 101;
const OTHER_PORTAL = 202;
const january = (overrides: Partial<ReportScope> = {}): ReportScope => ({
  portalId: PORTAL,
  objectType: 'contact',
  period: { start: JANUARY.start, end: JANUARY.end },
  ...overrides,
});

let temp: TempStore;
let deps: ReportingDeps;

beforeAll(async () => {
  temp = await openTempStore();
  await commitHistories(temp.store, PORTAL, [...literatureLedger(), ...oneCompanyCustomer()]);
  await commitHistories(temp.store, OTHER_PORTAL, literatureLedger().slice(0, 50));
  deps = { ledger: temp.store.ledger, aggregates: temp.store.aggregates, model: () => defaultModel() };
}, 120_000);
afterAll(() => temp.remove());

describe("a portal's funnel report for a period", () => {
  it("shows the literature's flow and stock: 7,000 into Nurturing, 1,000 into Dead end, 2,000 left in Lead acquired", async () => {
    const { report } = await loadFunnelReport(deps, january());
    const stage = (id: string) => report.stages.find((s) => s.stageId === id);

    expect(stage('lead_acquired')).toMatchObject({ beginning: 0, flowIn: 10_000, flowOut: 8_000, ending: 2_000 });
    expect(stage('lead_acquired')?.cvr).toMatchObject({ entered: 10_000, converted: 7_000, rate: 0.7 });
    expect(stage('nurturing')).toMatchObject({ flowIn: 7_000, flowOut: 12, ending: 6_988 });
    expect(stage('dead_end')).toMatchObject({ flowIn: 1_000, ending: 1_000 });
    expect(report.deadEndsByReason).toEqual({ competitor: 300, retired: 100, student: 600 });
  });

  it('counts a Fastpass as a conversion of its origin and as a skip, not a pass, of the stages it bypassed', async () => {
    const { report } = await loadFunnelReport(deps, january());
    const stage = (id: string) => report.stages.find((s) => s.stageId === id);

    expect(stage('nurturing')?.cvr).toMatchObject({ converted: 12, fastpassed: 4 });
    expect(stage('mql')).toMatchObject({ flowIn: 8, skippedThrough: 4 });
  });

  it('lays the table out as the success path, then each detour followed by its reasons', async () => {
    const { table } = await loadFunnelReport(deps, january());

    expect(table.map((row) => (row.line === 'reason' ? `  ${row.label} ${row.flowIn}` : `${row.stageId} ${row.flowIn}`))).toEqual([
      'lead_acquired 10000',
      'nurturing 7000',
      'mql 8',
      'appointment 12',
      'opportunity 3',
      'customer 0',
      'expand 0',
      'recycle_a 5',
      '  bad_timing 5',
      'recycle_b 3',
      '  lost_to_competitor 3',
      'dead_end 1000',
      '  competitor 300',
      '  retired 100',
      '  student 600',
      'churned 0',
    ]);
  });

  it("reads only the requested portal's ledger", async () => {
    const { report } = await loadFunnelReport(deps, january({ portalId: OTHER_PORTAL }));

    expect(report.records.ending).toBe(50);
  });

  it('reports companies and contacts as separate funnels', async () => {
    const { report, objectType } = await loadFunnelReport(deps, january({ objectType: 'company' }));

    expect(objectType).toBe('company');
    expect(report.records.ending).toBe(1);
    expect(report.stages.find((s) => s.stageId === 'customer')?.ending).toBe(1);
  });

  it('narrows the report to the records the caller chose (e.g. one owner’s) and says how many it was given', async () => {
    const view = await loadFunnelReport(deps, january({ records: { objectIds: new Set(['recycled-a-0', 'recycled-b-0', 'dead-student-0']) } }));

    expect(view.filteredToRecords).toBe(3);
    expect(view.report.records.ending).toBe(3);
    expect(view.report.stages.filter((s) => s.ending > 0).map((s) => s.stageId)).toEqual(['recycle_a', 'recycle_b', 'dead_end']);
  });

  it('carries balances over from before the period: February begins where January ended', async () => {
    const { report } = await loadFunnelReport(deps, january({ period: { start: JANUARY.end, end: day(59) } }));
    const leadAcquired = report.stages.find((s) => s.stageId === 'lead_acquired');

    expect(leadAcquired).toMatchObject({ beginning: 2_000, flowIn: 0, ending: 2_000 });
    expect(report.records.beginning).toBe(10_000);
  });
});

describe('the stock series of a period', () => {
  it('has one point per day boundary, the first equal to the beginning balances and the last to the ending ones', async () => {
    const [{ series }, { report }] = await Promise.all([loadStockSeries(deps, january()), loadFunnelReport(deps, january())]);

    expect(series.points.map((p) => p.at)).toEqual(Array.from({ length: 32 }, (_, n) => day(n)));
    for (const stage of report.stages) {
      expect(series.points[0]?.stock[stage.stageId]).toBe(stage.beginning);
      expect(series.points[31]?.stock[stage.stageId]).toBe(stage.ending);
    }
  });

  it('shows a stage filling up and draining on the days the moves happened', async () => {
    const { series } = await loadStockSeries(deps, january());
    const leadAcquiredOn = (n: number) => series.points[n]?.stock.lead_acquired;

    // Day 1: 8,000 leads enter; day 2: 2,000 more; day 5: 1,000 dead-end; day 8: 7,000 nurtured.
    expect([1, 2, 3, 5, 6, 8, 9].map(leadAcquiredOn)).toEqual([0, 8_000, 10_000, 10_000, 9_000, 9_000, 2_000]);
  });
});

describe('the portals a report can be about', () => {
  it('lists the portals with ledger rows, ascending (the CLI and the dashboard choose among them)', async () => {
    await expect(listReportablePortals(temp.store.ledger)).resolves.toEqual([PORTAL, OTHER_PORTAL].sort((a, b) => a - b));
  });
});
