import fc from 'fast-check';
import { blockStart, coverDays, ROLLUP_SPANS } from '../day-spans';

const RUNS = { numRuns: 200, seed: 20261203 };

describe('coverDays', () => {
  it('covers every day of the range exactly once, with blocks aligned to their span', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 2_000 }), (from, length) => {
        const to = from + length;
        const covered: number[] = [];
        for (const segment of coverDays(from, to)) {
          expect(segment.from % segment.span).toBe(0);
          expect(segment.to % segment.span).toBe(0);
          for (let block = segment.from; block < segment.to; block += segment.span) for (let day = block; day < block + segment.span; day++) covered.push(day);
        }
        expect(covered).toEqual(Array.from({ length }, (_, i) => from + i));
      }),
      RUNS,
    );
  });

  it('reads at most 3 + 3 rows of each span below 256 and one run of 256-day blocks, however long the range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 100_000 }), (from, length) => {
        const segments = coverDays(from, from + length);
        for (const span of [1, 4, 16, 64]) {
          const rows = segments.filter((s) => s.span === span).reduce((sum, s) => sum + (s.to - s.from) / span, 0);
          expect(rows).toBeLessThanOrEqual(3 + 3);
        }
        const runsOf256 = segments.filter((s) => s.span === 256);
        expect(runsOf256.length).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it('names each rollup row by the first day of its block', () => {
    expect(ROLLUP_SPANS).toEqual([256, 64, 16, 4]);
    expect(blockStart(20_000, 16)).toBe(20_000);
    expect(blockStart(20_017, 4)).toBe(20_016);
    expect(blockStart(20_019, 4)).toBe(20_016);
    expect(blockStart(20_017, 16)).toBe(20_016);
    expect(blockStart(20_017, 64)).toBe(19_968);
    expect(blockStart(20_031, 64)).toBe(19_968);
    expect(blockStart(20_032, 64)).toBe(20_032);
    expect(blockStart(20_017, 256)).toBe(19_968);
    expect(blockStart(20_017, 1)).toBe(20_017);
  });
});
