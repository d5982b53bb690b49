/** A value as search compares it: epoch ms or a number for dates and numbers, lower-case text otherwise. */
export type Comparable = number | string;

export function compareComparable(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

interface Entry {
  key: Comparable;
  id: number;
}

export interface KeyBound {
  key: Comparable;
  inclusive: boolean;
}

const BUCKET = 512;

function compareEntries(a: Entry, b: Entry): number {
  return compareComparable(a.key, b.key) || a.id - b.id;
}

/**
 * The (value, record id) pairs of one property in search order, kept in sorted buckets of at most 2 × 512 entries,
 * so a write moves one bucket's worth of entries and a range is found by binary search: lookups cost
 * O(log n + matches) and counts O(n / 512), not a pass over the portal's records.
 */
export class OrderedIndex {
  private buckets: Entry[][] = [];

  get size(): number {
    return this.buckets.reduce((n, b) => n + b.length, 0);
  }

  insert(key: Comparable, id: number): void {
    const entry = { key, id };
    if (this.buckets.length === 0) {
      this.buckets.push([entry]);
      return;
    }
    const b = Math.min(this.firstBucketNotBefore(entry), this.buckets.length - 1);
    const bucket = this.buckets[b]!;
    bucket.splice(lowerBound(bucket, entry), 0, entry);
    if (bucket.length > 2 * BUCKET) this.buckets.splice(b, 1, bucket.slice(0, BUCKET), bucket.slice(BUCKET));
  }

  remove(key: Comparable, id: number): void {
    const entry = { key, id };
    const b = this.firstBucketNotBefore(entry);
    const bucket = this.buckets[b];
    if (!bucket) return;
    const at = lowerBound(bucket, entry);
    if (at < bucket.length && compareEntries(bucket[at]!, entry) === 0) bucket.splice(at, 1);
    if (bucket.length === 0) this.buckets.splice(b, 1);
  }

  /** Record ids whose key lies within the bounds, in (key, id) order, skipping the first `skip`. */
  *range(low: KeyBound | null, high: KeyBound | null, skip = 0): Generator<number> {
    let [b, i] = this.start(low);
    let skipped = 0;
    for (; b < this.buckets.length; b++, i = 0) {
      const bucket = this.buckets[b]!;
      if (skipped + bucket.length - i <= skip) {
        skipped += bucket.length - i;
        continue;
      }
      for (; i < bucket.length; i++) {
        const entry = bucket[i]!;
        if (high && !withinHigh(entry.key, high)) return;
        if (skipped < skip) skipped++;
        else yield entry.id;
      }
    }
  }

  /** How many ids `range` would yield, without visiting them one by one. */
  count(low: KeyBound | null, high: KeyBound | null): number {
    const [fromBucket, fromIndex] = this.start(low);
    const [toBucket, toIndex] = this.end(high);
    if (fromBucket > toBucket || (fromBucket === toBucket && fromIndex >= toIndex)) return 0;
    if (fromBucket === toBucket) return toIndex - fromIndex;
    let n = this.buckets[fromBucket]!.length - fromIndex + toIndex;
    for (let b = fromBucket + 1; b < toBucket; b++) n += this.buckets[b]!.length;
    return n;
  }

  /** Position of the first entry at or above `low`. */
  private start(low: KeyBound | null): [number, number] {
    if (!low) return [0, 0];
    const probe: Entry = { key: low.key, id: low.inclusive ? -Infinity : Infinity };
    const b = this.firstBucketNotBefore(probe);
    const bucket = this.buckets[b];
    return bucket ? [b, lowerBound(bucket, probe)] : [this.buckets.length, 0];
  }

  /** Position just past the last entry at or below `high`. */
  private end(high: KeyBound | null): [number, number] {
    if (!high) return [this.buckets.length - 1, this.buckets.at(-1)?.length ?? 0];
    const probe: Entry = { key: high.key, id: high.inclusive ? Infinity : -Infinity };
    const b = this.firstBucketNotBefore(probe);
    const bucket = this.buckets[b];
    if (!bucket) return [this.buckets.length - 1, this.buckets.at(-1)?.length ?? 0];
    return [b, lowerBound(bucket, probe)];
  }

  /** The first bucket whose last entry is not before `entry` (buckets.length when there is none). */
  private firstBucketNotBefore(entry: Entry): number {
    let lo = 0;
    let hi = this.buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const bucket = this.buckets[mid]!;
      if (compareEntries(bucket[bucket.length - 1]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(bucket: Entry[], entry: Entry): number {
  let lo = 0;
  let hi = bucket.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareEntries(bucket[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function withinHigh(key: Comparable, high: KeyBound): boolean {
  const order = compareComparable(key, high.key);
  return high.inclusive ? order <= 0 : order < 0;
}
