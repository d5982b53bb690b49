import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../../../adapters/store';
import type { Store } from '../../../ports/store-ports';

/**
 * A real store on a fresh SQLite file in a temp folder. `closeStore()` hands the file over to another store (e.g.
 * the CLI's own); `remove()` closes the store if still open and deletes the folder.
 */
export interface TempStore {
  url: string;
  store: Store;
  closeStore(): Promise<void>;
  remove(): Promise<void>;
}

export async function openTempStore(): Promise<TempStore> {
  const folder = mkdtempSync(join(tmpdir(), 'lc-reporting-'));
  const url = `sqlite:${join(folder, 'lifecycle.db')}`;
  const store = await createStore(url);
  let open = true;
  const closeStore = async () => {
    if (open) await store.close();
    open = false;
  };
  return {
    url,
    store,
    closeStore,
    async remove() {
      await closeStore();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
