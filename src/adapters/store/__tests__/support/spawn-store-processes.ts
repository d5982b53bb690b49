import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StoreOptions } from '../../store';

const run = promisify(execFile);
const TSX_CLI = require.resolve('tsx/cli');
const SCRIPT = join(__dirname, 'open-store-process.ts');

/** Starts `count` processes that each open the store at the same moment; resolves when all exited cleanly. */
export async function openStoreInProcesses(url: string, options: StoreOptions, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => run(process.execPath, [TSX_CLI, SCRIPT, url, JSON.stringify(options), String(i)], { timeout: 60_000 })));
}
