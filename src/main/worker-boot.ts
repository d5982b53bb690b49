import { dirname, join } from 'node:path';

/**
 * The script a worker thread is started with (`new Worker(script, { eval: true })`) to run the module `basename` next
 * to `callerFilename`: the compiled .js, or, under ts-jest (TypeScript sources), the .ts through tsx's require hook.
 */
export function workerBootScript(callerFilename: string, basename: string): string {
  const typescript = callerFilename.endsWith('.ts');
  const file = join(dirname(callerFilename), `${basename}${typescript ? '.ts' : '.js'}`);
  return `${typescript ? "require('tsx/cjs');" : ''} require(${JSON.stringify(file)});`;
}
