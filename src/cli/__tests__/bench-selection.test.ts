import { selectBenchmarks } from '../commands/bench-command';

describe('lifecycle bench: which benchmarks run', () => {
  const all = [{ id: 'B1' }, { id: 'B1-PG', onlyWhenNamed: true }, { id: 'B2' }];

  it('runs every benchmark but those run only when named (B1-PG needs PostgreSQL) without --only', () => {
    expect(selectBenchmarks(all, undefined).map((b) => b.id)).toEqual(['B1', 'B2']);
  });

  it('runs a benchmark run only when named when --only names it, in any case', () => {
    expect(selectBenchmarks(all, 'b1-pg').map((b) => b.id)).toEqual(['B1-PG']);
    expect(selectBenchmarks(all, 'B1, B1-PG').map((b) => b.id)).toEqual(['B1', 'B1-PG']);
  });
});
