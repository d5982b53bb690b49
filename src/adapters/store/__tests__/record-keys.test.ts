import { inStatementChunks } from '../record-keys';

describe('inStatementChunks', () => {
  const lengths = (n: number, size?: number) =>
    inStatementChunks(
      Array.from({ length: n }, (_, i) => i),
      size,
    ).map((chunk) => chunk.length);

  it('cuts full chunks, then the rest in powers of two, so few statement lengths recur', () => {
    expect(lengths(1_300)).toEqual([512, 512, 256, 16, 4]);
    expect(lengths(7, 4)).toEqual([4, 2, 1]);
    expect(lengths(0)).toEqual([]);
  });

  it('keeps every item once, in order', () => {
    const items = Array.from({ length: 1_001 }, (_, i) => i);
    expect(inStatementChunks(items).flat()).toEqual(items);
  });

  it('uses at most ten lengths whatever the batch sizes', () => {
    const seen = new Set<number>();
    for (let n = 1; n <= 3_000; n++) lengths(n).forEach((length) => seen.add(length));
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
  });
});
