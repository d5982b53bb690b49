/**
 * Opens a store the way a separately started instance would, writes a marker and exits 0; used by the tests that
 * start several processes against one database at once. Usage: open-store-process <url> <options-json> <marker>
 */
import { createStore } from '../../store';

async function main(): Promise<void> {
  const [url, optionsJson, marker] = process.argv.slice(2);
  if (url === undefined || optionsJson === undefined || marker === undefined) throw new Error('usage: <url> <options-json> <marker>');
  const store = await createStore(url, JSON.parse(optionsJson));
  await store.cursors.set(1, `started-${marker}`, marker, Date.now());
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
