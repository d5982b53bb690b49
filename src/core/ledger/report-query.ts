import { z } from 'zod';

/** An instant as epoch milliseconds, the unit of `LedgerEntry.occurredAt`. */
export const InstantSchema = z.number();
export type Instant = z.infer<typeof InstantSchema>;

/**
 * A reporting period [start, end): an entry at exactly `start` is this period's flow, one at exactly `end` belongs
 * to the next period, so consecutive periods chain without double counting.
 */
export const ReportPeriodSchema = z
  .strictObject({ start: InstantSchema, end: InstantSchema })
  .refine((period) => period.start <= period.end, { message: 'start must not be after end', path: ['end'] });
export type ReportPeriod = z.infer<typeof ReportPeriodSchema>;

/** A cap on chart points keeps one request from asking for an unbounded response (10,000 ≈ 27 years daily). */
export const MAX_SERIES_INSTANTS = 10_000;

export const StockSeriesQuerySchema = z.strictObject({
  instants: z.array(InstantSchema).max(MAX_SERIES_INSTANTS),
});
