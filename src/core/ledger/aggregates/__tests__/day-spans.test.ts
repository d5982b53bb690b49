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

  it('reads at most 15 + 15 days, 15 + 15 sixteen-day blocks and one run of 256-day blocks, however long the range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 100_000 }), (from, length) => {
        const blocks = coverDays(from, from + length).map((s) => (s.to - s.from) / s.span);
        expect(blocks.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(60 + Math.floor(length / 256));
      }),
      RUNS,
    );
  });

  it('names each rollup row by the first day of its block', () => {
    expect(ROLLUP_SPANS).toEqual([256, 16]);
    expect(blockStart(20_000, 16)).toBe(20_000);
    expect(blockStart(20_017, 16)).toBe(20_016);
    expect(blockStart(20_017, 256)).toBe(19_968);
    expect(blockStart(20_017, 1)).toBe(20_017);
  });
});
