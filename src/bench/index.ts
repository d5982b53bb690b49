import { engineBenchmark } from './engine-bench';
import type { Benchmark } from './types';

/** Every benchmark `npm run bench` runs, in order. */
export const BENCHMARKS: Benchmark[] = [engineBenchmark];
