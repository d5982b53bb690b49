/** One benchmark's figures, rendered into its own section of BENCHMARKS.md. */
export interface BenchResult {
  id: string;
  title: string;
  /** Markdown lines describing what was measured and the figures. */
  lines: string[];
  /** The headline ratio against the baseline measured in the same run. */
  ratio: { value: number; against: string };
  target?: { description: string; met: boolean };
}

export interface Benchmark {
  id: string;
  title: string;
  /** Run only when named in `--only` (it needs a service a plain `npm run bench` must not assume, e.g. PostgreSQL). */
  onlyWhenNamed?: boolean;
  /** Node options to run it with: when set, it runs in a process of its own started with them (bench-process.ts). */
  execArgv?: string[];
  run(options: { quick: boolean; log: (line: string) => void }): Promise<BenchResult>;
}
