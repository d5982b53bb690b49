import type { Command } from 'commander';
import Table from 'cli-table3';
import { openExistingStore, openStore } from '../../main/runtime';
import { parseEnv } from '../../config/env';

export function registerDeadLetterCommands(program: Command): void {
  const group = program.command('dead-letters').description('Inspect and replay events and writes that failed for good, and webhook events quarantined as unusable');

  group
    .command('list')
    .description('List dead letters (newest first)')
    .option('--portal <id>', 'only this portal', (v) => Number(v))
    .option('--all', 'include dead letters already retried')
    .option('--json', 'print JSON')
    .action(async (options: { portal?: number; all?: boolean; json?: boolean }) => {
      const env = parseEnv();
      const store = await openExistingStore(env);
      try {
        const letters = await store.deadLetters.list(options.portal ?? null, { includeRetried: Boolean(options.all) });
        if (options.json) {
          console.log(JSON.stringify(letters, null, 2));
          return;
        }
        if (letters.length === 0) {
          console.log('no dead letters');
          return;
        }
        const table = new Table({ head: ['id', 'portal', 'source', 'record', 'failed at', 'reason'], colWidths: [6, 10, 8, 22, 26, 60], wordWrap: true });
        for (const l of letters) table.push([l.id, l.portalId, l.source, `${l.objectType}:${l.objectId}`, new Date(l.failedAt).toISOString(), l.reason]);
        console.log(table.toString());
      } finally {
        await store.close();
      }
    });

  group
    .command('retry')
    .description('Put dead letters back in their queue; a running `lifecycle serve` picks them up')
    .argument('<ids...>', 'dead-letter ids')
    .requiredOption('--portal <id>', 'the portal the dead letters belong to', (v) => Number(v))
    .action(async (ids: string[], options: { portal: number }) => {
      const env = parseEnv();
      const store = await openStore(env);
      try {
        for (const id of ids) {
          const ok = await store.deadLetters.retry(options.portal, Number(id), Date.now());
          console.log(
            ok
              ? `dead letter ${id}: re-queued`
              : `dead letter ${id}: not found in portal ${options.portal}, already retried, or a quarantined webhook event (nothing to re-queue; see \`list --json\` for its raw JSON)`,
          );
          if (!ok) process.exitCode = 1;
        }
      } finally {
        await store.close();
      }
    });
}
