import type { Command } from 'commander';
import Table from 'cli-table3';
import { z } from 'zod';
import type { Store } from '../../app/ports/store-ports';
import { cliAction, withCliRuntime } from '../cli-runtime';
import { chooseEveryPortal, chooseOnePortal, DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';

/** The portals the store knows: those with ledger rows, and those with dead letters only (say, every event of it was unusable). */
const KNOWN = 'in the ledger or the dead letters';
const knownPortals = async (store: Store): Promise<number[]> => [...new Set([...(await store.ledger.portals()), ...(await store.deadLetters.portals())])];

const ListOptionsSchema = z.object({ portal: PortalOptionSchema, all: z.boolean().optional(), json: z.boolean().optional(), database: DatabaseOptionSchema });
const RetryOptionsSchema = z.object({
  portal: PortalOptionSchema.unwrap(),
  database: DatabaseOptionSchema,
  ids: z
    .array(
      z
        .string()
        .regex(/^[1-9]\d*$/, 'a dead-letter id is a positive whole number (see `dead-letters list`)')
        .transform(Number),
    )
    .min(1),
});

export function registerDeadLetterCommands(program: Command): void {
  const group = program.command('dead-letters').description('Inspect and replay events and writes that failed for good, and webhook events quarantined as unusable');

  group
    .command('list')
    .description('List dead letters (newest first)')
    // A sweep: every portal's dead letters, including quarantined events no served portal claims.
    .option(PORTAL_FLAGS, portalHelp('every', KNOWN))
    .option('--all', 'include dead letters already retried')
    .option('--json', 'print JSON')
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(
      cliAction('dead-letters list', async (raw: Record<string, unknown>) => {
        const options = ListOptionsSchema.parse(raw);
        await withCliRuntime({ database: options.database, store: 'existing' }, async (rt) => {
          const store = await rt.store();
          // Without --portal, every portal's in one read; a portal named must be known (chooseEveryPortal's rule).
          const portal = options.portal === undefined ? null : chooseEveryPortal(options.portal, await knownPortals(store), KNOWN)[0]!;
          const letters = await store.deadLetters.list(portal, { includeRetried: Boolean(options.all) });
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
        });
      }),
    );

  group
    .command('retry')
    .description('Put dead letters back in their queue; a running `lifecycle serve` picks them up')
    .argument('<ids...>', 'dead-letter ids')
    .requiredOption(PORTAL_FLAGS, 'the portal the dead letters belong to (always named: a retry acts on one portal)')
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(
      cliAction('dead-letters retry', async (ids: string[], raw: Record<string, unknown>) => {
        const options = RetryOptionsSchema.parse({ ...raw, ids });
        await withCliRuntime({ database: options.database, store: 'existing' }, async (rt) => {
          const store = await rt.store();
          const portal = chooseOnePortal(options.portal, await knownPortals(store), KNOWN);
          for (const id of options.ids) {
            const ok = await store.deadLetters.retry(portal, id, rt.clock.now());
            console.log(
              ok
                ? `dead letter ${id}: re-queued`
                : `dead letter ${id}: not found in portal ${options.portal}, already retried, or a quarantined webhook event (nothing to re-queue; see \`list --json\` for its raw JSON)`,
            );
            if (!ok) process.exitCode = 1;
          }
        });
      }),
    );
}
