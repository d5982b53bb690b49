/**
 * Opens a store, closes it and then prints `closed`: a process whose work goes on after `store.close()` must get
 * there (the checkpointer thread must not let the process exit while the store closes). Usage: close-store-process <url>
 */
import { createStore } from '../../store';

async function main(): Promise<void> {
  const [url] = process.argv.slice(2);
  if (url === undefined) throw new Error('usage: <url>');
  const store = await createStore(url);
  await store.close();
  process.stdout.write('closed\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
