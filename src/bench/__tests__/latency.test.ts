import { latencies, quantile, WARM_UP_CALLS } from '../latency';

describe("B7/B14's latencies: a warm serving process's p99, with the cold first call reported beside it", () => {
  it('counts the serving CPU only over the counted calls: the warm-ups (one at a time, then one concurrent round) are made before the first reading', async () => {
    let calls = 0;
    const callsAtCpuReading: number[] = [];
    const cpuClock = async () => {
      callsAtCpuReading.push(calls);
      return callsAtCpuReading.length === 1 ? 1_000 : 1_500;
    };

    const measured = await latencies(50, 10, async () => void calls++, cpuClock);

    expect(callsAtCpuReading).toEqual([WARM_UP_CALLS + 10, WARM_UP_CALLS + 10 + 50]);
    expect(measured.cpuMs).toBe(10);
  });

  it('reports the first call apart from the percentiles', async () => {
    let calls = 0;
    const firstSlow = () => new Promise<void>((resolve) => setTimeout(resolve, calls++ === 0 ? 300 : 0));

    const measured = await latencies(20, 4, firstSlow);

    // The slow call is the first only: had it been counted, it would be the p99.
    expect(measured.firstMs).toBeGreaterThanOrEqual(290);
    expect(measured.p99).toBeLessThan(measured.firstMs);
    expect(calls).toBe(WARM_UP_CALLS + 4 + 20);
  });

  it('takes quantiles by nearest rank: with 50 times the p99 is the slowest, the p50 the 25th', () => {
    const times = Array.from({ length: 50 }, (_, i) => i + 1);

    expect(quantile(times, 0.99)).toBe(50);
    expect(quantile(times, 0.5)).toBe(25);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
