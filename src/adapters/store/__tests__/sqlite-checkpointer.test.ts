import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Store } from '../../../app/ports/store-ports';
import type { CheckpointResult } from '../sqlite-checkpointer';
import { createStore, type StoreOptions } from '../store';
import { inboxEvent, PORTAL, T0 } from './support/fixtures';

/**
 * WAL checkpoints on SQLite: by default a worker thread checkpoints on a timer, so no webhook delivery's commit (on
 * the event loop, before its 200) copies the WAL into the database file and fsyncs it (B1, issue 15).
 */
describe('SQLite WAL checkpoints', () => {
  let folder: string;
  let store: Store | null = null;
  const file = () => path.join(folder, 'lifecycle.db');
  const open = async (options: StoreOptions) => (store = await createStore(`sqlite:${file()}`, options));
  /** About 1,600 WAL pages: 1,500 events of 4 KB each, in 15 deliveries (SQLite's automatic threshold is 1,000 pages). */
  const writeManyPages = async (inbox: Store['inbox']) => {
    for (let d = 0; d < 15; d++) {
      const events = Array.from({ length: 100 }, (_, i) => inboxEvent(`c${d}-${i}`, `k${d}-${i}`, { payload: 'x'.repeat(4_000) }));
      await inbox.insertMany(PORTAL, events, T0);
    }
  };

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'lc-checkpoint-'));
  });
  afterEach(async () => {
    await store?.close();
    store = null;
    rmSync(folder, { recursive: true, force: true });
  });

  it('leaves the checkpoint to the background: commits past 1,000 WAL pages do not copy the WAL into the database file', async () => {
    const opened = await open({ checkpointIntervalMs: 60_000 });
    const sizeBefore = statSync(file()).size;

    await writeManyPages(opened.inbox);

    expect(statSync(file()).size).toBe(sizeBefore);
    expect(await opened.inbox.pendingCount(PORTAL)).toBe(1_500);
  });

  it('checkpoints the whole WAL from its worker thread on its timer', async () => {
    const checkpoints: CheckpointResult[] = [];
    const opened = await open({ checkpointIntervalMs: 20, onCheckpoint: (result) => checkpoints.push(result) });
    const sizeBefore = statSync(file()).size;

    await writeManyPages(opened.inbox);
    const complete = () => checkpoints.some((c) => c.busy === 0 && c.log > 1_000 && c.checkpointed === c.log);
    while (!complete()) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(statSync(file()).size).toBeGreaterThan(sizeBefore + 1_000 * 4_096);
    // The data is the store's, read through its own connection after the other connection's checkpoint.
    expect(await opened.inbox.pendingCount(PORTAL)).toBe(1_500);
  });

  it("with inline checkpoints (SQLite's default), the commit that crosses 1,000 WAL pages checkpoints", async () => {
    const opened = await open({ sqliteCheckpoints: 'inline' });
    const sizeBefore = statSync(file()).size;

    await writeManyPages(opened.inbox);

    expect(statSync(file()).size).toBeGreaterThan(sizeBefore + 500 * 4_096);
  });

  it('lets a process go on after store.close(): closing waits for the checkpointer thread without letting the process exit', async () => {
    const script = path.join(__dirname, 'support', 'close-store-process.ts');

    const { stdout } = await promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), script, `sqlite:${file()}`], { timeout: 60_000 });

    expect(stdout).toBe('closed\n');
  });
});
