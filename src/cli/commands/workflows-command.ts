import type { Command } from 'commander';
import Table from 'cli-table3';
import { z } from 'zod';
import { systemClock } from '../../app/ports/clock';
import { installRecommendedWorkflows, listRecommendedWorkflows, removeRecommendedWorkflows, type WorkflowLine } from '../../app/provision/recommended-workflows';
import { parseEnv } from '../../config/env';
import { appIdOf, hubspotAssetApis, registerSimulatorActions } from '../../main/hubspot-assets';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { openStore, resolveHubSpotTarget } from '../../main/runtime';

export const WorkflowsOptionsSchema = z.strictObject({
  // A string first: z.coerce.number would turn "abc" into NaN and report that instead of the option's meaning.
  portal: z
    .string()
    .regex(/^[1-9]\d*$/, '--portal must be a HubSpot portal id')
    .transform(Number)
    .optional(),
  json: z.boolean().default(false),
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
      .option('--portal <id>', 'HubSpot portal id (default: every configured portal)')
      .option('--json', 'print the result as JSON')
      .action((raw: Record<string, unknown>) => runWorkflows(verb, raw));
  }
}

async function runWorkflows(verb: Verb, raw: Record<string, unknown>): Promise<void> {
  const parsed = WorkflowsOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`lifecycle workflows ${verb}: ${z.prettifyError(parsed.error)}`);
    process.exitCode = 1;
    return;
  }
  const options = parsed.data;
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const model = loadModel(env.LIFECYCLE_MODEL_FILE);
  const store = await openStore(env);
  const target = await resolveHubSpotTarget(env, systemClock, logger);
  try {
    if (target.simulator) registerSimulatorActions(target.simulator);
    const portals = target.portals.filter((p) => options.portal === undefined || p.portalId === options.portal);
    if (portals.length === 0) throw new Error(`portal ${options.portal} is not configured (configured: ${target.portals.map((p) => p.portalId).join(', ')})`);
    const budgets = rateBudgetsFor(store, target.portals, systemClock);
    for (const portal of portals) {
      const { flows } = hubspotAssetApis(target, portal, systemClock, budgets);
      const deps = { flows, assets: store.provisionedAssets, clock: systemClock, appId: appIdOf(target, env) };
      const lines =
        verb === 'install'
          ? await installRecommendedWorkflows(deps, portal.portalId, model)
          : verb === 'remove'
            ? await removeRecommendedWorkflows(deps, portal.portalId)
            : await listRecommendedWorkflows(deps, portal.portalId, model);
      if (options.json) console.log(JSON.stringify({ portalId: portal.portalId, workflows: lines }, null, 2));
      else printLines(portal.portalId, lines, target.simulator !== null);
    }
  } catch (error) {
    console.error(`lifecycle workflows ${verb}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await target.simulator?.stop();
    await store.close();
  }
}

function printLines(portalId: number, lines: WorkflowLine[], simulator: boolean): void {
  const table = new Table({ head: ['workflow', 'id', 'enabled', 'outcome', 'detail'] });
  for (const line of lines) table.push([line.name, line.flowId ?? '', line.enabled === null ? '' : line.enabled ? 'yes' : 'no', line.outcome, line.detail ?? '']);
  console.log(`portal ${portalId}${simulator ? ' (simulator)' : ''}`);
  console.log(table.toString());
}
