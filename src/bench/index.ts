import { apiCallsBenchmark } from './api-calls-bench';
import { backfillBenchmark } from './backfill-bench';
import { cardLatencyBenchmark } from './card-latency-bench';
import { engineBenchmark } from './engine-bench';
import { ingestBenchmark, ingestPostgresBenchmark } from './ingest-bench';
import { pagesBenchmark } from './pages-bench';
import { replayBenchmark } from './replay-bench';
import { reportScaleBenchmark } from './report-scale-bench';
import { settingsLatencyBenchmark } from './settings-latency-bench';
import { storageBenchmark } from './storage-bench';
import { syncLatencyBenchmark } from './sync-latency-bench';
import type { Benchmark } from './types';

/** Every benchmark `npm run bench` runs, in order. */
export const BENCHMARKS: Benchmark[] = [
  ingestBenchmark,
  ingestPostgresBenchmark,
  engineBenchmark,
  apiCallsBenchmark,
  backfillBenchmark,
  cardLatencyBenchmark,
  storageBenchmark,
  reportScaleBenchmark,
  replayBenchmark,
  syncLatencyBenchmark,
  pagesBenchmark,
  settingsLatencyBenchmark,
];
