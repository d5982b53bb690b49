/**
 * One backend instance as production starts it — `lifecycle serve`, configured by the environment — run from the
 * TypeScript sources so the test always exercises the current code.
 */
import { main } from '../../../src/cli/main';

main(['node', 'lifecycle', 'serve']).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
