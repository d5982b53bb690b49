/** A share, or null when there is nothing to take a share of (0/0 is "no data", not 0 %). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export interface DurationSummary {
  /** How many stays the figures summarise. */
  stays: number;
  meanDays: number | null;
  medianDays: number | null;
}

export function summariseDurations(days: readonly number[]): DurationSummary {
  if (days.length === 0) return { stays: 0, meanDays: null, medianDays: null };
  // A typed array sorts numerically and without boxing, which matters for the Nurturing stage of a big ledger.
  const sorted = Float64Array.from(days).sort();
  const mid = sorted.length >> 1;
  const upper = sorted[mid] as number;
  const median = sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
  let sum = 0;
  for (const d of sorted) sum += d;
  return { stays: sorted.length, meanDays: sum / sorted.length, medianDays: median };
}

/** Counts keyed in code order, so the same ledger always serialises to the same report. */
export function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...counts.keys()].sort()) out[key] = counts.get(key) ?? 0;
  return out;
}

export function countInto(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
