import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folder of the dashboard's static files. They are not TypeScript, so the build does not copy them: from
 * src/ (ts-jest, tsx) they sit beside this module; from dist/http/dashboard they are read from the source tree.
 */
export function dashboardAssetsDir(): string {
  const candidates = [join(__dirname, 'public'), join(__dirname, '..', '..', '..', 'src', 'http', 'dashboard', 'public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`dashboard assets not found; looked in ${candidates.join(' and ')}`);
  return found;
}
