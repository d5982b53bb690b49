import path from 'node:path';
import type { Command } from 'commander';
import { BENCHMARKS } from '../../bench';
import { writeBenchmarks } from '../../bench/report-file';
import type { BenchResult, Benchmark } from '../../bench/types';
import { ChildRpc, type WithoutId } from '../../bench/child-rpc';
import type { BenchRequest } from '../../bench/bench-process';

/** `--only B2,b3` picks those ids (case-insensitive); without it every benchmark runs except those run only when named. */
export function selectBenchmarks<B extends Pick<Benchmark, 'id' | 'onlyWhenNamed'>>(all: readonly B[], only: string | undefined): B[] {
  const wanted = only?.split(',').map((s) => s.trim().toUpperCase());
  return all.filter((b) => (wanted ? wanted.includes(b.id) : !b.onlyWhenNamed));
}

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('Run the benchmarks and write their figures to BENCHMARKS.md')
    .option('--only <ids>', 'comma-separated benchmark ids, e.g. B2,B3')
    .option('--quick', 'smaller workloads (a smoke run; figures are still written)')
    .option('--out <file>', 'where to write', path.resolve(__dirname, '..', '..', '..', 'BENCHMARKS.md'))
    .action(async (options: { only?: string; quick?: boolean; out: string }) => {
      const selected = selectBenchmarks(BENCHMARKS, options.only);
      if (selected.length === 0) throw new Error(`no benchmark matches --only ${options.only}; known: ${BENCHMARKS.map((b) => b.id).join(', ')}`);
      const results = [];
      for (const bench of selected) {
        console.log(`${bench.id} ${bench.title}`);
        const log = (line: string) => console.log(`  ${line}`);
        const result = bench.execArgv ? await runInOwnProcess(bench, Boolean(options.quick), log) : await bench.run({ quick: Boolean(options.quick), log });
        for (const line of result.lines) console.log(`  ${line}`);
        console.log(`  ratio ${result.ratio.value.toFixed(1)}× ${result.ratio.against}`);
        results.push(result);
        writeBenchmarks(options.out, [result]);
      }
      console.log(`wrote ${options.out}`);
    });
}

/** A benchmark that names node options runs in a child started with them (its figures, peak RSS above all, are its own). */
async function runInOwnProcess(bench: Benchmark, quick: boolean, log: (line: string) => void): Promise<BenchResult> {
  // BENCH_CHILD_NODE_ARGS adds node options to that child (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept).
  const extra = (process.env['BENCH_CHILD_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);
  const child = ChildRpc.fork<WithoutId<BenchRequest>>('bench-process.js', `${bench.id} process`, { execArgv: [...(bench.execArgv ?? []), ...extra], log });
  try {
    return await child.request<BenchResult>({ type: 'run', benchId: bench.id, quick });
  } finally {
    await child.stop();
  }
}
