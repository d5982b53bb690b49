import { DAY_MS } from '../../../engine/time';
import { defaultModel } from '../../../model';
import { summariseDurations } from '../../statistics';
import { aggregateWindow, intervals } from '../aggregate-report';
import { durationBucket, medianBuckets, summariseMedianBuckets } from '../duration-buckets';

const model = defaultModel();
const END_DAY = 20_758;

describe('the window a report reads', () => {
  it('is cut at the period start and at each SLA due day, and its intervals cover the days from the SLA look-back to the end', () => {
    const window = aggregateWindow(model, { start: (END_DAY - 30) * DAY_MS, end: END_DAY * DAY_MS });
    const slaDays = model.stages.flatMap((s) => (s.slaDays === null ? [] : [Math.ceil(s.slaDays)]));
    expect(window.firstDay).toBe(END_DAY - Math.max(...slaDays));
    const spans = intervals(window);
    expect(spans[0]?.from).toBe(window.firstDay);
    expect(spans.at(-1)?.to).toBe(END_DAY);
    spans.slice(1).forEach((span, i) => expect(span.from).toBe(spans[i]?.to));
    const starts = spans.map((s) => s.from);
    for (const cut of [END_DAY - 30, ...slaDays.map((d) => END_DAY - d)]) expect(starts).toContain(cut);
    expect(spans.length).toBeLessThanOrEqual(slaDays.length + 2);
  });

  it('is read day by day when it has no cuts (a stock series)', () => {
    expect(intervals({ firstDay: 10, startDay: 10, endDay: 13 })).toEqual([
      { from: 10, to: 11 },
      { from: 11, to: 12 },
      { from: 12, to: 13 },
    ]);
  });
});

describe("the median's buckets", () => {
  it('keep only the buckets holding the two middle ranks, and give the median of the raw durations when each bucket holds one stay', () => {
    const durationsMs = [0, 1_000, 60_000, 3_600_000, 86_400_000, 10 * DAY_MS];
    const buckets = durationsMs.map((ms) => ({ bucket: durationBucket(ms), stays: 1, totalMs: ms }));
    const median = medianBuckets(buckets);
    expect(median.around.map((b) => b.totalMs)).toEqual([60_000, 3_600_000]);
    expect(median.around.map((b) => b.below)).toEqual([2, 3]);
    const exact = summariseDurations(durationsMs.map((ms) => ms / DAY_MS));
    const fromBuckets = summariseMedianBuckets(median);
    expect(fromBuckets.stays).toBe(exact.stays);
    // Equal but for floating-point rounding (milliseconds summed, then divided, against days summed).
    expect(fromBuckets.medianDays).toBeCloseTo(exact.medianDays ?? NaN, 12);
    expect(fromBuckets.meanDays).toBeCloseTo(exact.meanDays ?? NaN, 12);
  });

  it('keep one bucket when both middle ranks are in it, and none for no stays', () => {
    const median = medianBuckets([
      { bucket: 5, stays: 1, totalMs: 100 },
      { bucket: 9, stays: 4, totalMs: 4_000 },
      { bucket: 12, stays: 1, totalMs: 5_000 },
    ]);
    expect(median.around).toEqual([{ bucket: 9, stays: 4, totalMs: 4_000, below: 1 }]);
    expect(medianBuckets([]).around).toEqual([]);
    expect(summariseMedianBuckets(medianBuckets([])).medianDays).toBeNull();
  });
});
