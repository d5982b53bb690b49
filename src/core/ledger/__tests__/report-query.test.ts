import { ReportPeriodSchema, StockSeriesQuerySchema } from '../report-query';

describe('report query schemas', () => {
  it('accepts a period [start, end), including an empty one', () => {
    expect(ReportPeriodSchema.safeParse({ start: 1, end: 2 }).success).toBe(true);
    expect(ReportPeriodSchema.safeParse({ start: 5, end: 5 }).success).toBe(true);
  });

  it('rejects a period that ends before it starts, naming `end`', () => {
    const result = ReportPeriodSchema.safeParse({ start: 2, end: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['end']);
  });

  it('rejects instants that are not numbers and unknown fields', () => {
    expect(ReportPeriodSchema.safeParse({ start: '2025-01-01', end: 2 }).success).toBe(false);
    expect(ReportPeriodSchema.safeParse({ start: Number.NaN, end: 2 }).success).toBe(false);
    expect(ReportPeriodSchema.safeParse({ start: 1, end: 2, tz: 'UTC' }).success).toBe(false);
    expect(StockSeriesQuerySchema.safeParse({ instants: [1, 'x'] }).success).toBe(false);
  });
});
