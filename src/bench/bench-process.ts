import { BENCHMARKS } from './index';
import { answerRequests, type ChildReply } from './child-rpc';

/**
 * One benchmark in a process of its own, started with the node options the benchmark names (`Benchmark.execArgv`):
 * B4 runs the backfill under the heap limit `lifecycle backfill` runs under, so its peak RSS is the command's.
 */
export type BenchRequest = { id: number; type: 'run'; benchId: string; quick: boolean } | { id: number; type: 'stop' };

async function handle(request: BenchRequest): Promise<unknown> {
  switch (request.type) {
    case 'run': {
      const bench = BENCHMARKS.find((b) => b.id === request.benchId);
      if (!bench) throw new Error(`no benchmark ${request.benchId}`);
      return bench.run({ quick: request.quick, log: (line) => process.send?.({ log: line } satisfies ChildReply) });
    }
    case 'stop':
      setImmediate(() => process.exit(0));
      return null;
  }
}

answerRequests(handle);

// The bench that started this process is gone (killed): nobody will read the result.
process.on('disconnect', () => process.exit(1));
