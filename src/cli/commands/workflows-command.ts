import type { Command } from 'commander';
import Table from 'cli-table3';
import { z } from 'zod';
import { installRecommendedWorkflows, listRecommendedWorkflows, removeRecommendedWorkflows, type WorkflowLine } from '../../app/provision/recommended-workflows';
import { appIdOf, hubspotAssetApis, registerSimulatorActions } from '../../main/hubspot-assets';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { cliAction, withCliRuntime } from '../cli-runtime';
import { chooseEveryPortal, DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';

const WorkflowsOptionsSchema = z.strictObject({
  portal: PortalOptionSchema,
  json: z.boolean().default(false),
  database: DatabaseOptionSchema,
});

type Verb = 'list' | 'install' | 'remove';

const DESCRIPTIONS: Record<Verb, string> = {
  list: 'Show the recommended workflows and whether each is installed (or edited by an admin)',
  install: 'Create the recommended workflows in HubSpot, DISABLED for review (idempotent; never overwrites an admin-edited one)',
  remove: 'Delete the workflows the app created and nobody edited since (admin-made and admin-edited ones stay)',
};

/** `lifecycle workflows list|install|remove`: the recipes of docs/workflow-recipes.md as real HubSpot workflows. */
export function registerWorkflowsCommand(program: Command): void {
  const group = program.command('workflows').description("Recommended HubSpot workflows on the app's actions and lists (automation v4 API, BETA)");
  for (const verb of ['list', 'install', 'remove'] as const) {
    group
      .command(verb)
      .description(DESCRIPTIONS[verb])
      .option(PORTAL_FLAGS, portalHelp('every', 'configured'))
      .option('--json', 'print the result as JSON')
      .option(DATABASE_FLAGS, DATABASE_HELP)
      .action(cliAction(`workflows ${verb}`, (raw: Record<string, unknown>) => runWorkflows(verb, WorkflowsOptionsSchema.parse(raw))));
  }
}

async function runWorkflows(verb: Verb, options: z.infer<typeof WorkflowsOptionsSchema>): Promise<void> {
  await withCliRuntime({ database: options.database }, async (rt) => {
    const model = rt.model();
    const store = await rt.store();
    const target = await rt.hubspot();
    if (target.simulator) registerSimulatorActions(target.simulator);
    const chosen = chooseEveryPortal(
      options.portal,
      target.portals.map((p) => p.portalId),
      'configured',
    );
    const budgets = rateBudgetsFor(store, target.portals, rt.clock);
    for (const portal of target.portals.filter((p) => chosen.includes(p.portalId))) {
      const { flows } = hubspotAssetApis(target, portal, rt.clock, budgets);
      const deps = { flows, assets: store.provisionedAssets, clock: rt.clock, appId: appIdOf(target, rt.env) };
      const lines =
        verb === 'install'
          ? await installRecommendedWorkflows(deps, portal.portalId, model)
          : verb === 'remove'
            ? await removeRecommendedWorkflows(deps, portal.portalId)
            : await listRecommendedWorkflows(deps, portal.portalId, model);
      if (options.json) console.log(JSON.stringify({ portalId: portal.portalId, workflows: lines }, null, 2));
      else printLines(portal.portalId, lines, target.simulator !== null);
    }
  });
}

function printLines(portalId: number, lines: WorkflowLine[], simulator: boolean): void {
  const table = new Table({ head: ['workflow', 'id', 'enabled', 'outcome', 'detail'] });
  for (const line of lines) table.push([line.name, line.flowId ?? '', line.enabled === null ? '' : line.enabled ? 'yes' : 'no', line.outcome, line.detail ?? '']);
  console.log(`portal ${portalId}${simulator ? ' (simulator)' : ''}`);
  console.log(table.toString());
}
