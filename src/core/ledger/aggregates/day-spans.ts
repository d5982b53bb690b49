/**
 * Rollup spans of the aggregates, in days: besides the day rows, every count is also kept per aligned block of
 * 4, 16, 64 and 256 days (a block of span S covers the days [k·S, (k+1)·S) and is stored under its first day). A sum
 * over any range of days then reads at most 3 + 3 rows of each span below 256 and the 256-day blocks in between: its
 * cost grows with the logarithm of the range's length, not with the days in it. Base 4 rather than 16: a block holds
 * about as many rows as a day (the same keys), so a report's cost is its number of segments, and the edges of a range
 * need ≈ 12 of them instead of ≈ 30 (issue 13; each commit writes four block rows per key instead of two).
 */
export const ROLLUP_SPANS = [256, 64, 16, 4] as const;
export type RollupSpan = (typeof ROLLUP_SPANS)[number];
export type Span = RollupSpan | 1;

/** Aligned blocks of one span: the blocks starting on the days [from, to) (each a multiple of span). */
export interface SpanSegment {
  span: Span;
  from: number;
  to: number;
}

/**
 * The fewest aligned blocks that cover the days [from, to) exactly: the largest spans in the middle, smaller ones
 * toward the edges. Empty when the range is.
 */
export function coverDays(from: number, to: number, spans: readonly Span[] = [...ROLLUP_SPANS, 1]): SpanSegment[] {
  if (from >= to) return [];
  const [span, ...smaller] = spans;
  if (span === undefined) throw new RangeError('coverDays needs span 1 last');
  if (span === 1) return [{ span: 1, from, to }];
  const first = Math.ceil(from / span) * span;
  const last = Math.floor(to / span) * span;
  if (first >= last) return coverDays(from, to, smaller);
  return [...coverDays(from, first, smaller), { span, from: first, to: last }, ...coverDays(last, to, smaller)];
}

/** The first day of the block of `span` that holds `day`: the day a rollup row of that span is stored under. */
export const blockStart = (day: number, span: Span): number => Math.floor(day / span) * span;
