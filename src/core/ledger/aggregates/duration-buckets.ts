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

/**
 * Fine buckets per coarse bucket. A store keeps the durations also per coarse bucket (γ^16 ≈ 1.17 wide), so that it
 * finds the median's coarse bucket from a sixteenth of the rows and reads fine buckets only inside it.
 */
export const COARSE_BUCKET_WIDTH = 16;

/** The coarse bucket of a fine one (bucket −1, zero durations, is coarse bucket −1). */
export const coarseBucket = (bucket: number): number => Math.floor(bucket / COARSE_BUCKET_WIDTH);

export interface DurationBucketTotal {
  bucket: number;
  stays: number;
  totalMs: number;
}

/**
 * A stage's ended stays over a period, summed, with only the buckets that hold its median: the one or two buckets
 * (in bucket order) holding the ranks `(stays − 1) >> 1` and `stays >> 1`, each with `below`, the stays of every
 * lower bucket. What a store sums with SQL (a running total over the buckets) instead of returning every bucket.
 */
export interface MedianBuckets {
  stays: number;
  totalMs: number;
  around: ReadonlyArray<DurationBucketTotal & { below: number }>;
}

/** The median's buckets of a full bucket list (buckets with no stays are left out, as the store's sums leave them). */
export function medianBuckets(buckets: readonly DurationBucketTotal[]): MedianBuckets {
  const sorted = buckets.filter((b) => b.stays > 0).sort((a, b) => a.bucket - b.bucket);
  const stays = sorted.reduce((sum, b) => sum + b.stays, 0);
  const totalMs = sorted.reduce((sum, b) => sum + b.totalMs, 0);
  const around: Array<DurationBucketTotal & { below: number }> = [];
  let below = 0;
  for (const b of sorted) {
    if (holdsMedian(below, b.stays, stays)) around.push({ ...b, below });
    below += b.stays;
  }
  return { stays, totalMs, around };
}

/**
 * Whether a bucket with `stays` stays above `below` holds rank (n − 1) >> 1 or n >> 1 of n: below ≤ n >> 1 and
 * below + stays > (n − 1) >> 1, written without division (2·below ≤ n and 2·(below + stays) ≥ n) so that SQL on
 * either dialect says the same.
 */
export function holdsMedian(below: number, stays: number, n: number): boolean {
  return 2 * below <= n && 2 * (below + stays) >= n;
}

/**
 * Count, exact mean and bucket-precision median (see above) of the stays the buckets hold, in days, matching
 * `summariseDurations` on the raw durations to within DURATION_RELATIVE_PRECISION for the median.
 */
export function summariseBuckets(buckets: readonly DurationBucketTotal[]): DurationSummary {
  return summariseMedianBuckets(medianBuckets(buckets));
}

/** The same summary from the median's buckets alone (see MedianBuckets). */
export function summariseMedianBuckets({ stays, totalMs, around }: MedianBuckets): DurationSummary {
  if (stays <= 0) return { stays: 0, meanDays: null, medianDays: null };
  const valueAt = (rank: number): number => {
    const b = around.find((a) => rank >= a.below && rank < a.below + a.stays);
    if (!b) throw new RangeError(`rank ${rank} of ${stays} stays is in none of the median's buckets`);
    return b.totalMs / b.stays;
  };
  const mid = stays >> 1;
  const medianMs = stays % 2 === 1 ? valueAt(mid) : (valueAt(mid - 1) + valueAt(mid)) / 2;
  return { stays, meanDays: totalMs / stays / DAY_MS, medianDays: medianMs / DAY_MS };
}
