import { defaultModel } from '../../model';
import { MAX_SERIES_INSTANTS } from '../report-query';
import { stockAt, stockSeries, type StockSnapshot } from '../stock';
import { day, history } from './ledger-fixtures';

const model = defaultModel();
const stockIn = (snapshot: StockSnapshot, stageId: string) => snapshot.stages.find((s) => s.stageId === stageId);

describe('stockAt', () => {
  const ledger = [
    ...history('nurtured', [
      { to: 'lead_acquired', at: 0 },
      { to: 'nurturing', at: 4 },
    ]),
    ...history('waiting', [{ to: 'lead_acquired', at: 2 }]),
    ...history('later', [{ to: 'lead_acquired', at: 9 }]),
  ];

  it('puts each record in the stage of its latest move at or before the instant', () => {
    const snapshot = stockAt(ledger, model, day(4));
    expect(stockIn(snapshot, 'lead_acquired')?.stock).toBe(1);
    expect(stockIn(snapshot, 'nurturing')?.stock).toBe(1);
    expect(snapshot.records).toBe(2);
  });

  it('counts nothing before the first move', () => {
    const snapshot = stockAt(ledger, model, day(-1));
    expect(snapshot.records).toBe(0);
    expect(snapshot.stages.every((s) => s.stock === 0)).toBe(true);
  });

  it('splits the records in an SLA stage into due and past due at the instant (MQL: 3 days, Appointment: 30)', () => {
    const toMql = (mqlDay: number) =>
      [
        { to: 'lead_acquired', at: 0 },
        { to: 'mql', at: mqlDay, kind: 'fastpass' },
      ] as const;
    const sla = [
      ...history('one-day', [...toMql(9)]),
      ...history('exactly-three', [...toMql(7)]),
      ...history('four-days', [...toMql(6)]),
      ...history('moved-on', [...toMql(2), { to: 'appointment', at: 5 }]),
    ];
    const snapshot = stockAt(sla, model, day(10));
    expect(stockIn(snapshot, 'mql')?.sla).toEqual({ slaDays: 3, due: 2, pastDue: 1 });
    expect(stockIn(snapshot, 'appointment')?.sla).toEqual({ slaDays: 30, due: 1, pastDue: 0 });
    expect(stockIn(snapshot, 'lead_acquired')?.sla).toBeNull();
  });
});

describe('stockSeries', () => {
  const ledger = [
    ...history('a', [
      { to: 'lead_acquired', at: 0 },
      { to: 'nurturing', at: 3 },
      { to: 'mql', at: 6 },
    ]),
    ...history('b', [
      { to: 'lead_acquired', at: 1 },
      { to: 'dead_end', at: 2, kind: 'dead_end', reasonCode: 'student' },
    ]),
  ];

  it('gives, per requested instant and in the requested order, the same stock as stockAt', () => {
    const instants = [day(6), day(0), day(2.5), day(-1), day(6)];
    const series = stockSeries(ledger, model, instants);
    expect(series.points.map((p) => p.at)).toEqual(instants);
    series.points.forEach((point) => {
      const snapshot = stockAt(ledger, model, point.at);
      expect(point.records).toBe(snapshot.records);
      expect(point.stock).toEqual(Object.fromEntries(snapshot.stages.map((s) => [s.stageId, s.stock])));
    });
  });

  it('charts stock moving down the funnel', () => {
    const { points } = stockSeries(ledger, model, [day(0), day(3), day(6)]);
    expect(points.map((p) => [p.stock['lead_acquired'], p.stock['nurturing'], p.stock['mql'], p.stock['dead_end']])).toEqual([
      [1, 0, 0, 0],
      [0, 1, 0, 1],
      [0, 0, 1, 1],
    ]);
    expect(stockSeries(ledger, model, [day(0)]).stages.map((s) => s.stageId)).toContain('recycle_a');
  });

  it('refuses more instants than one chart can use', () => {
    const tooMany = Array.from({ length: MAX_SERIES_INSTANTS + 1 }, (_, i) => day(i));
    expect(() => stockSeries(ledger, model, tooMany)).toThrow();
  });
});
