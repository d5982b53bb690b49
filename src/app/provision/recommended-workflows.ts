import { WORKFLOW_ACTIONS, workflowActionPath, type WorkflowAction } from '../../contracts/backend-routes';
import type { CompiledModel } from '../../core';
import type { Clock } from '../ports/clock';
import type { FlowSummary, HubSpotFlowsPort } from '../ports/hubspot-flows-port';
import type { ProvisionedAsset, ProvisionedAssetPort } from '../ports/provisioned-asset-port';
import type { PortalId } from '../ports/store-ports';
import { fingerprint } from './list-plan';
import { workflowPlan, type ActionRef, type PlannedWorkflow } from './workflow-plan';

/**
 * - created / unchanged; updated: our definition changed and the admin had not touched it, so it was replaced;
 * - edited_by_admin: HubSpot's revisionId moved past our last write: never overwritten or deleted, only reported;
 * - name_taken: a workflow the app did not create has the name: left alone;
 * - skipped: a piece is missing in this portal (detail says which);
 * - removed / already_gone / not_installed (remove and list).
 */
export type WorkflowOutcome = 'created' | 'unchanged' | 'updated' | 'edited_by_admin' | 'name_taken' | 'skipped' | 'removed' | 'already_gone' | 'installed' | 'not_installed';

export interface WorkflowLine {
  key: string;
  name: string;
  flowId: string | null;
  enabled: boolean | null;
  outcome: WorkflowOutcome;
  detail?: string;
}

export interface RecommendedWorkflowsDeps {
  flows: HubSpotFlowsPort;
  assets: ProvisionedAssetPort;
  clock: Clock;
  /** Our app's id, to read its custom action definitions; null when unknown (workflows using them are skipped). */
  appId: number | null;
}

/** Our custom actions in this portal, by the last segment of their actionUrl (WORKFLOW_ACTIONS). */
async function ourActions(deps: RecommendedWorkflowsDeps): Promise<Map<WorkflowAction, ActionRef> | null> {
  if (deps.appId === null) return null;
  const found = new Map<WorkflowAction, ActionRef>();
  for (const d of await deps.flows.actionDefinitions(deps.appId)) {
    const action = WORKFLOW_ACTIONS.find((a) => d.actionUrl.replace(/\/+$/, '').endsWith(workflowActionPath(a)));
    if (action) found.set(action, { definitionId: d.definitionId, revisionId: d.revisionId });
  }
  return found;
}

async function plan(deps: RecommendedWorkflowsDeps, portalId: PortalId, model: CompiledModel): Promise<PlannedWorkflow[]> {
  const listIds = new Map((await deps.assets.list(portalId, 'list')).map((a) => [a.key, a.hubspotId]));
  return workflowPlan({ model, listIds, actions: await ourActions(deps) });
}

const lineOf = (planned: { key: string; name: string }, flow: FlowSummary | null, outcome: WorkflowOutcome, detail?: string): WorkflowLine => ({
  key: planned.key,
  name: flow?.name ?? planned.name,
  flowId: flow?.id ?? null,
  enabled: flow?.isEnabled ?? null,
  outcome,
  ...(detail ? { detail } : {}),
});

/**
 * Installs the recommended workflows (workflow-plan.ts) in one portal, DISABLED, for the admin to review and turn
 * on. Idempotent: each is found again by the flow id we stored. A workflow an admin edited after us (newer
 * revisionId) is never overwritten; one whose name an admin's workflow already uses is not created.
 */
export async function installRecommendedWorkflows(deps: RecommendedWorkflowsDeps, portalId: PortalId, model: CompiledModel): Promise<WorkflowLine[]> {
  const stored = new Map((await deps.assets.list(portalId, 'workflow')).map((a) => [a.key, a]));
  const planned = await plan(deps, portalId, model);
  let existingNames: Set<string> | null = null;
  const lines: WorkflowLine[] = [];
  for (const p of planned) {
    if (!p.body) {
      lines.push(lineOf(p, null, 'skipped', p.missing));
      continue;
    }
    const wanted = fingerprint(p.body);
    const known = stored.get(p.key);
    const current = known ? await deps.flows.getFlow(known.hubspotId) : null;
    if (known && current) {
      if (current.revisionId !== known.revision) {
        lines.push(lineOf(p, current, 'edited_by_admin', `revision ${current.revisionId} is newer than ours (${known.revision}): left as the admin has it`));
        continue;
      }
      if (known.fingerprint === wanted) {
        lines.push(lineOf(p, current, 'unchanged'));
        continue;
      }
      await deps.flows.deleteFlow(current.id);
    } else {
      existingNames ??= new Set((await deps.flows.listFlows()).map((f) => f.name));
      if (existingNames.has(p.name)) {
        lines.push(lineOf(p, null, 'name_taken', 'a workflow the app did not create has this name'));
        continue;
      }
    }
    const created = await deps.flows.createFlow(p.body);
    await deps.assets.save(portalId, asset(p, created, wanted, deps.clock.now()));
    lines.push(lineOf(p, created, known && current ? 'updated' : 'created', known && current ? 'replaced: our definition changed and you had not edited it' : p.summary));
  }
  return lines;
}

/** Deletes only the workflows the app created and the admin has not edited since; everything else stays. */
export async function removeRecommendedWorkflows(deps: Pick<RecommendedWorkflowsDeps, 'flows' | 'assets'>, portalId: PortalId): Promise<WorkflowLine[]> {
  const lines: WorkflowLine[] = [];
  for (const known of await deps.assets.list(portalId, 'workflow')) {
    const current = await deps.flows.getFlow(known.hubspotId);
    if (!current) {
      await deps.assets.remove(portalId, 'workflow', known.key);
      lines.push(lineOf(known, null, 'already_gone'));
    } else if (current.revisionId !== known.revision) {
      lines.push(lineOf(known, current, 'edited_by_admin', 'edited in HubSpot after the app created it: kept; delete it there if you no longer want it'));
    } else {
      await deps.flows.deleteFlow(current.id);
      await deps.assets.remove(portalId, 'workflow', known.key);
      lines.push(lineOf(known, current, 'removed'));
    }
  }
  return lines;
}

/** What `lifecycle workflows list` shows: each recommended workflow, installed or not, edited or not. */
export async function listRecommendedWorkflows(deps: RecommendedWorkflowsDeps, portalId: PortalId, model: CompiledModel): Promise<WorkflowLine[]> {
  const stored = new Map((await deps.assets.list(portalId, 'workflow')).map((a) => [a.key, a]));
  const lines: WorkflowLine[] = [];
  for (const p of await plan(deps, portalId, model)) {
    const known = stored.get(p.key);
    const current = known ? await deps.flows.getFlow(known.hubspotId) : null;
    if (!known || !current) lines.push(lineOf(p, null, 'not_installed', p.body ? p.summary : p.missing));
    else lines.push(lineOf(p, current, current.revisionId === known.revision ? 'installed' : 'edited_by_admin', p.summary));
  }
  return lines;
}

function asset(p: PlannedWorkflow, flow: FlowSummary, print: string, now: number): ProvisionedAsset {
  return { kind: 'workflow', key: p.key, hubspotId: flow.id, revision: flow.revisionId, name: flow.name, fingerprint: print, updatedAt: now };
}
