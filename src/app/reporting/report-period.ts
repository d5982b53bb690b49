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
 * The period a request means, in whole UTC days (the grain of the ledger aggregates reports are computed from):
 * `to` defaults to now and is widened to the end of its day, `from` defaults to 30 days before that and is
 * widened to the start of its day. So the default is the last 30 days, today included.
 *
 * @throws ZodError when from is not before to, or the period is too long for a daily series.
 */
export function resolvePeriod(bounds: { from?: Instant | undefined; to?: Instant | undefined }, now: Instant): ReportPeriod {
  const end = ceilToDay(bounds.to ?? now);
  const start = bounds.from === undefined ? end - DEFAULT_PERIOD_DAYS * DAY_MS : floorToDay(bounds.from);
  return ResolvedPeriodSchema.parse({ start, end });
}

/** The smallest period of whole UTC days that contains `period`. */
export function wholeDays(period: ReportPeriod): ReportPeriod {
  return { start: floorToDay(period.start), end: ceilToDay(period.end) };
}

const floorToDay = (t: Instant): Instant => Math.floor(t / DAY_MS) * DAY_MS;
const ceilToDay = (t: Instant): Instant => Math.ceil(t / DAY_MS) * DAY_MS;

/** The period's boundary instants one day apart: its start, every 24 h after it, and its end. */
export function dailyBoundaries(period: ReportPeriod, everyDays = 1): Instant[] {
  const instants: Instant[] = [];
  for (let t = period.start; t < period.end; t += everyDays * DAY_MS) instants.push(t);
  instants.push(period.end);
  return instants;
}
