import { defaultModel } from '../../model';
import { funnelReport } from '../funnel-report';
import { day, history, many } from './ledger-fixtures';
import { detourOf, stageOf } from './report-lookup';

const model = defaultModel();
const wholeMonth = { start: day(0), end: day(30) };

describe('funnelReport: flow and stock (the literature example)', () => {
  // docs/lifecycle-model.md: 10,000 leads acquired, 70 % move to Nurturing, 10 % are a dead end, the rest stay.
  const ledger = [
    ...many(7_000, 'nurtured', [
      { to: 'lead_acquired', at: 1 },
      { to: 'nurturing', at: 5 },
    ]),
    ...many(1_000, 'outside', [
      { to: 'lead_acquired', at: 1 },
      { to: 'dead_end', at: 3, kind: 'dead_end', reasonCode: 'student' },
    ]),
    ...many(2_000, 'waiting', [{ to: 'lead_acquired', at: 1 }]),
  ];
  const report = funnelReport(ledger, model, wholeMonth);

  it('counts 10,000 entries into Lead acquired and leaves 2,000 there as stock', () => {
    expect(stageOf(report, 'lead_acquired')).toMatchObject({ beginning: 0, flowIn: 10_000, flowOut: 8_000, ending: 2_000 });
  });

  it('counts 7,000 flowing into Nurturing and 1,000 into Dead end', () => {
    expect(stageOf(report, 'nurturing')).toMatchObject({ flowIn: 7_000, ending: 7_000 });
    expect(stageOf(report, 'dead_end')).toMatchObject({ flowIn: 1_000, ending: 1_000 });
    expect(report.deadEndsByReason).toEqual({ student: 1_000 });
  });

  it('reports Lead acquired → Nurturing conversion of 70 % with the dead ends as drop-outs', () => {
    expect(stageOf(report, 'lead_acquired').cvr).toEqual({
      entered: 10_000,
      converted: 7_000,
      fastpassed: 0,
      rate: 0.7,
      dropOuts: { recycled: 0, deadEnd: 1_000, churned: 0 },
      otherExits: 0,
      stillInStage: 2_000,
    });
  });

  it('has no conversion figure for a stage with no later path stage, nor for side stages', () => {
    expect(stageOf(report, 'expand').cvr).toBeNull();
    expect(stageOf(report, 'dead_end').cvr).toBeNull();
    expect(stageOf(report, 'recycle_a').cvr).toBeNull();
  });
});

describe('funnelReport: Fastpass honesty', () => {
  const steady = many(4, 'steady', [
    { to: 'lead_acquired', at: 0 },
    { to: 'nurturing', at: 1 },
    { to: 'mql', at: 2 },
  ]);
  const stuck = many(4, 'stuck', [
    { to: 'lead_acquired', at: 0 },
    { to: 'nurturing', at: 1 },
  ]);
  const skippers = many(2, 'skipper', [
    { to: 'lead_acquired', at: 0 },
    { to: 'mql', at: 1, kind: 'fastpass' },
  ]);
  const withSkips = funnelReport([...steady, ...stuck, ...skippers], model, wholeMonth);
  const withoutSkips = funnelReport([...steady, ...stuck], model, wholeMonth);

  it('records the skip on the bypassed stage, never as its entry or exit', () => {
    expect(stageOf(withSkips, 'nurturing')).toMatchObject({ flowIn: 8, flowOut: 4, skippedThrough: 2 });
    expect(stageOf(withSkips, 'mql').flowIn).toBe(6);
  });

  it("leaves the bypassed stage's CVR exactly as it is without the skippers", () => {
    const { skippedThrough: _withSkips, ...nurturing } = stageOf(withSkips, 'nurturing');
    const { skippedThrough: _without, ...nurturingWithout } = stageOf(withoutSkips, 'nurturing');
    expect(nurturing).toEqual(nurturingWithout);
    expect(nurturing.cvr).toMatchObject({ entered: 8, converted: 4, rate: 0.5 });
  });

  it('counts the Fastpass as a conversion of the stage it left, and reports it separately', () => {
    expect(stageOf(withSkips, 'lead_acquired').cvr).toMatchObject({ entered: 10, converted: 10, fastpassed: 2, rate: 1 });
  });

  it('keeps a record that entered and fastpassed at the same instant in the right order', () => {
    const sameInstant = history('quick', [
      { to: 'lead_acquired', at: 3 },
      { to: 'mql', at: 3, kind: 'fastpass' },
    ]);
    const report = funnelReport([...steady, ...sameInstant], model, wholeMonth);
    expect(stageOf(report, 'lead_acquired')).toMatchObject({ ending: 0, velocity: { stays: 5, medianDays: 1 } });
    expect(stageOf(report, 'mql').ending).toBe(5);
  });
});

describe('funnelReport: detours, dead ends and churn', () => {
  const recycledFromAppointment = [
    ...many(3, 'a-returned', [
      { to: 'lead_acquired', at: 0 },
      { to: 'appointment', at: 1, kind: 'fastpass' },
      { to: 'recycle_a', at: 10, kind: 'recycle', reasonCode: 'stalled' },
      { to: 'nurturing', at: 40, kind: 'return' },
    ]),
    ...history('a-paused', [
      { to: 'lead_acquired', at: 0 },
      { to: 'appointment', at: 1, kind: 'fastpass' },
      { to: 'recycle_a', at: 12, kind: 'recycle', reasonCode: 'bad_timing' },
    ]),
  ];
  const lostDeals = [
    ...many(2, 'b-reengaged', [
      { to: 'lead_acquired', at: 0 },
      { to: 'opportunity', at: 2, kind: 'fastpass' },
      { to: 'recycle_b', at: 5, kind: 'recycle', reasonCode: 'lost_to_competitor' },
      { to: 'nurturing', at: 20, kind: 'reengage' },
    ]),
    ...many(2, 'b-dead', [
      { to: 'lead_acquired', at: 0 },
      { to: 'opportunity', at: 2, kind: 'fastpass' },
      { to: 'recycle_b', at: 5, kind: 'recycle', reasonCode: 'price' },
      { to: 'dead_end', at: 30, kind: 'dead_end', reasonCode: 'not_a_fit' },
    ]),
  ];
  const competitors = many(3, 'competitor', [
    { to: 'lead_acquired', at: 0 },
    { to: 'dead_end', at: 1, kind: 'dead_end', reasonCode: 'competitor' },
  ]);
  const ledger = [...recycledFromAppointment, ...lostDeals, ...competitors];
  const report = funnelReport(ledger, model, { start: day(0), end: day(60) });

  it('gives Recycle A its flow by reason, its returns and its CVR back to Nurturing', () => {
    expect(detourOf(report, 'recycle_a')).toEqual({
      stageId: 'recycle_a',
      label: 'Recycle A',
      entered: 4,
      enteredByReason: { bad_timing: 1, stalled: 3 },
      returned: 3,
      reengaged: 0,
      returnCvr: { entered: 4, returned: 3, rate: 0.75 },
    });
    expect(stageOf(report, 'recycle_a')).toMatchObject({ flowIn: 4, flowOut: 3, ending: 1 });
  });

  it('gives Recycle B its re-engagements, and a dead end out of the detour is no return', () => {
    expect(detourOf(report, 'recycle_b')).toMatchObject({
      entered: 4,
      enteredByReason: { lost_to_competitor: 2, price: 2 },
      returned: 2,
      reengaged: 2,
      returnCvr: { entered: 4, returned: 2, rate: 0.5 },
    });
    expect(stageOf(report, 'nurturing').flowIn).toBe(5);
  });

  it('counts the recycles as drop-outs of the stages they left', () => {
    expect(stageOf(report, 'appointment').cvr).toMatchObject({ entered: 4, converted: 0, dropOuts: { recycled: 4, deadEnd: 0, churned: 0 } });
    expect(stageOf(report, 'opportunity').cvr).toMatchObject({ entered: 4, converted: 0, dropOuts: { recycled: 4, deadEnd: 0, churned: 0 } });
  });

  it('lists dead ends by reason code', () => {
    expect(report.deadEndsByReason).toEqual({ competitor: 3, not_a_fit: 2 });
  });

  it('counts a return in the period as flow but keeps it out of the CVR of a cohort recycled earlier', () => {
    const later = funnelReport(ledger, model, { start: day(15), end: day(60) });
    expect(detourOf(later, 'recycle_a')).toMatchObject({ entered: 0, returned: 3, returnCvr: { entered: 0, returned: 0, rate: null } });
  });

  it('computes churn rate as churned ÷ customers at period start (100 customers, 5 churned → 5 %)', () => {
    // 75 in Customer + 20 in Expand + 5 who churn during the period = 100 customers at the start.
    const won = [
      { to: 'lead_acquired', at: 0 },
      { to: 'customer', at: 1, kind: 'fastpass' },
    ] as const;
    const customers = many(75, 'customer', [...won]);
    const promoters = many(20, 'promoter', [...won, { to: 'expand', at: 2 }]);
    const lost = many(5, 'lost', [...won, { to: 'churned', at: 20, kind: 'churn' }]);
    // Customers won inside the period are not in the denominator.
    const newlyWon = many(10, 'new', [
      { to: 'lead_acquired', at: 0 },
      { to: 'customer', at: 15, kind: 'fastpass' },
    ]);
    const churnReport = funnelReport([...customers, ...promoters, ...lost, ...newlyWon], model, { start: day(10), end: day(40) });
    expect(churnReport.churn).toEqual({ churned: 5, customersAtStart: 100, customersGained: 10, base: 'customers_at_start', rate: 0.05 });
    expect(stageOf(churnReport, 'customer').cvr?.dropOuts.churned).toBe(0);
  });

  it('has no churn rate when there were no customers at the start and none were gained', () => {
    expect(report.churn).toEqual({ churned: 0, customersAtStart: 0, customersGained: 0, base: null, rate: null });
  });

  it('takes the rate over the customers gained in a period that starts with no customers (30 won, 28 of them churned → 93 %, never "28 of 0")', () => {
    const wonThenLost = many(28, 'lost', [
      { to: 'lead_acquired', at: 0 },
      { to: 'customer', at: 12, kind: 'fastpass' },
      { to: 'churned', at: 20, kind: 'churn' },
    ]);
    const stayed = many(2, 'kept', [
      { to: 'lead_acquired', at: 0 },
      { to: 'customer', at: 12, kind: 'fastpass' },
    ]);
    const churn = funnelReport([...wonThenLost, ...stayed], model, { start: day(10), end: day(40) }).churn;
    expect(churn).toEqual({ churned: 28, customersAtStart: 0, customersGained: 30, base: 'customers_gained', rate: 28 / 30 });
  });
});

describe('funnelReport: velocity and SLA', () => {
  const intoMql = (mqlDay: number) =>
    [
      { to: 'lead_acquired', at: mqlDay - 2 },
      { to: 'nurturing', at: mqlDay - 1 },
      { to: 'mql', at: mqlDay },
    ] as const;
  const ledger = [
    ...history('one-day', [...intoMql(2), { to: 'appointment', at: 3 }]),
    ...history('two-days', [...intoMql(2), { to: 'appointment', at: 4 }]),
    ...history('six-days', [...intoMql(2), { to: 'dead_end', at: 8, kind: 'dead_end', reasonCode: 'invalid' }]),
    ...history('still-there', [...intoMql(28)]),
    ...history('ended-before', [...intoMql(-18), { to: 'appointment', at: -10 }]),
  ];

  it('summarises the stays that ended in the period: 1, 2 and 6 days → median 2, mean 3', () => {
    const report = funnelReport(ledger, model, wholeMonth);
    expect(stageOf(report, 'mql').velocity).toEqual({ stays: 3, medianDays: 2, meanDays: 3 });
  });

  it('takes the middle pair for an even count: 0.5, 1, 2 and 6 days → median 1.5, mean 2.375', () => {
    const halfDay = history('half-day', [...intoMql(2), { to: 'appointment', at: 2.5 }]);
    const report = funnelReport([...ledger, ...halfDay], model, wholeMonth);
    expect(stageOf(report, 'mql').velocity).toEqual({ stays: 4, medianDays: 1.5, meanDays: 2.375 });
  });

  it('has no velocity for a stage no stay left', () => {
    expect(stageOf(funnelReport(ledger, model, wholeMonth), 'customer').velocity).toEqual({ stays: 0, medianDays: null, meanDays: null });
  });

  it('ages the stock at period end against each stage SLA (MQL: 3 days)', () => {
    const waiting = [...history('fresh', [...intoMql(9)]), ...history('exactly-three', [...intoMql(7)]), ...history('late', [...intoMql(6)])];
    const report = funnelReport([...ledger, ...waiting], model, { start: day(0), end: day(10) });
    expect(stageOf(report, 'mql').sla).toEqual({ slaDays: 3, due: 2, pastDue: 1 });
    expect(stageOf(report, 'nurturing').sla).toBeNull();
  });
});

describe('funnelReport: period boundaries and ledger quirks', () => {
  const ledger = [
    ...history('at-start', [{ to: 'lead_acquired', at: 10 }]),
    ...history('at-end', [{ to: 'lead_acquired', at: 20 }]),
    ...history('before', [
      { to: 'lead_acquired', at: 5 },
      { to: 'nurturing', at: 10 },
    ]),
  ];
  const report = funnelReport(ledger, model, { start: day(10), end: day(20) });

  it('counts a move at exactly `start` as flow of the period, and one at exactly `end` as the next period', () => {
    expect(stageOf(report, 'lead_acquired')).toMatchObject({ beginning: 1, flowIn: 1, flowOut: 1, ending: 1 });
    expect(report.records).toEqual({ beginning: 1, ending: 2 });
  });

  it('chains consecutive periods: one ending is the next beginning', () => {
    const next = funnelReport(ledger, model, { start: day(20), end: day(30) });
    expect(next.stages.map((s) => s.beginning)).toEqual(report.stages.map((s) => s.ending));
  });

  it('counts a contact and a company with the same id as two records', () => {
    const twins = [...history('42', [{ to: 'lead_acquired', at: 1 }]), ...history('42', [{ to: 'lead_acquired', at: 1 }], 'company')];
    expect(stageOf(funnelReport(twins, model, wholeMonth), 'lead_acquired').ending).toBe(2);
  });

  it('keeps stock in a stage the model no longer has, as an unmodelled stage after the model stages', () => {
    const legacy = history('legacy', [
      { to: 'lead_acquired', at: 1 },
      { to: 'sales_accepted', at: 2 },
    ]);
    const result = funnelReport(legacy, model, wholeMonth);
    expect(result.stages.at(-1)).toMatchObject({ stageId: 'sales_accepted', label: 'sales_accepted', kind: 'unmodelled', ending: 1, cvr: null });
    expect(stageOf(result, 'lead_acquired').cvr).toMatchObject({ converted: 0, otherExits: 1 });
  });

  it('orders stages along the path first, then the detours', () => {
    expect(report.stages.map((s) => s.stageId)).toEqual([
      'lead_acquired',
      'nurturing',
      'mql',
      'appointment',
      'opportunity',
      'customer',
      'expand',
      'recycle_a',
      'recycle_b',
      'dead_end',
      'churned',
    ]);
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => funnelReport(ledger, model, { start: day(2), end: day(1) })).toThrow('start must not be after end');
  });
});
