import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { BenchResult } from './types';

export function machineDescription(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const memGiB = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${cpu}, ${os.cpus().length} cores, ${memGiB} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

function renderSection(result: BenchResult, date: string): string {
  const target = result.target ? `\n- Target: ${result.target.description} — **${result.target.met ? 'met' : 'NOT met'}**` : '';
  return [
    `<!-- bench:${result.id} -->`,
    `## ${result.id} — ${result.title}`,
    '',
    `Measured ${date} on ${machineDescription()}.`,
    '',
    ...result.lines,
    '',
    `- Ratio: **${result.ratio.value.toFixed(1)}×** ${result.ratio.against}${target}`,
    `<!-- /bench:${result.id} -->`,
  ].join('\n');
}

const HEADER = `# Benchmarks

Written by \`npm run bench\` (\`lifecycle bench\`); every figure is measured, and every ratio is against a baseline
measured in the same run on the same machine. CI does not time anything; these are not tests.
`;

/** Replaces (or appends) each result's section, keeping the sections of benchmarks not run this time. */
export function writeBenchmarks(file: string, results: BenchResult[], now = new Date()): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const date = now.toISOString().slice(0, 10);
  for (const result of results) {
    const section = renderSection(result, date);
    const pattern = new RegExp(`<!-- bench:${result.id} -->[\\s\\S]*?<!-- /bench:${result.id} -->`);
    text = pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
