import { DAY_MS } from '../../engine/time';
import type { DurationSummary } from '../statistics';

/**
 * Times in stage are kept as counts per logarithmic bucket: bucket k ≥ 0 holds durations in (γ^(k−1), γ^k] ms with
 * γ = 1.01, and bucket −1 holds zero (an entry and its immediate Fastpass). A bucket also keeps the sum of its
 * durations, so its mean — which lies inside the bucket — stands for its members. Every member is therefore
 * represented within 1 % (γ − 1), and so is a median or percentile taken from the buckets; the mean is exact.
 * From 1 ms to 30 years that is at most ~2,700 buckets per stage and day, however many stays there were.
 */
export const DURATION_BUCKET_GROWTH = 1.01;
export const DURATION_RELATIVE_PRECISION = DURATION_BUCKET_GROWTH - 1;

const LOG_GROWTH = Math.log(DURATION_BUCKET_GROWTH);

/** The bucket of a duration in whole milliseconds (negative durations cannot occur: rows are in time order). */
export function durationBucket(ms: number): number {
  if (ms <= 0) return -1;
  return Math.max(0, Math.ceil(Math.log(ms) / LOG_GROWTH - 1e-9));
}

export interface DurationBucketTotal {
  bucket: number;
  stays: number;
  totalMs: number;
}

/**
 * Count, exact mean and bucket-precision median (see above) of the stays the buckets hold, in days, matching
 * `summariseDurations` on the raw durations to within DURATION_RELATIVE_PRECISION for the median.
 */
export function summariseBuckets(buckets: readonly DurationBucketTotal[]): DurationSummary {
  const sorted = buckets.filter((b) => b.stays > 0).sort((a, b) => a.bucket - b.bucket);
  const stays = sorted.reduce((sum, b) => sum + b.stays, 0);
  if (stays === 0) return { stays: 0, meanDays: null, medianDays: null };
  const totalMs = sorted.reduce((sum, b) => sum + b.totalMs, 0);
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.stays;
      if (rank < seen) return b.totalMs / b.stays;
    }
    throw new RangeError(`rank ${rank} beyond ${stays} stays`);
  };
  const mid = stays >> 1;
  const medianMs = stays % 2 === 1 ? valueAt(mid) : (valueAt(mid - 1) + valueAt(mid)) / 2;
  return { stays, meanDays: totalMs / stays / DAY_MS, medianDays: medianMs / DAY_MS };
}
