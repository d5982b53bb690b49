import { z } from 'zod';
import { DAY_MS } from '../../core/engine/time';
import { MAX_SERIES_INSTANTS, type Instant, type ReportPeriod } from '../../core/ledger';

export const DEFAULT_PERIOD_DAYS = 30;

/** One daily stock point per day plus the closing one must fit the core's cap on series instants. */
export const MAX_PERIOD_DAYS = MAX_SERIES_INSTANTS - 1;

const ResolvedPeriodSchema = z
  .strictObject({ start: z.number(), end: z.number() })
  .refine((p) => p.start < p.end, { message: 'from must be before to', path: ['from'] })
  .refine((p) => p.end - p.start <= MAX_PERIOD_DAYS * DAY_MS, { message: `the period may span at most ${MAX_PERIOD_DAYS} days`, path: ['to'] });

/**
 * The period a request means: `to` defaults to now, `from` to 30 days before `to`.
 *
 * @throws ZodError when from is not before to, or the period is too long for a daily series.
 */
export function resolvePeriod(bounds: { from?: Instant | undefined; to?: Instant | undefined }, now: Instant): ReportPeriod {
  const end = bounds.to ?? now;
  const start = bounds.from ?? end - DEFAULT_PERIOD_DAYS * DAY_MS;
  return ResolvedPeriodSchema.parse({ start, end });
}

/** The period's boundary instants one day apart: its start, every 24 h after it, and its end. */
export function dailyBoundaries(period: ReportPeriod): Instant[] {
  const instants: Instant[] = [];
  for (let t = period.start; t < period.end; t += DAY_MS) instants.push(t);
  instants.push(period.end);
  return instants;
}
