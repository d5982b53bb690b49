import type { Logger } from 'pino';
import { HubSpotError } from '../ports/hubspot-port';
import type { PortalId } from '../ports/store-ports';
import type { PeriodicTask } from '../pipeline/periodic-tasks';
import type { PipelineDeps } from '../pipeline/process-inbox';
import { ActionBusyError, answerOf, decideContacts, planOf, type WorkflowActionDeps } from './run-workflow-action';
import { WorkflowActionPayloadSchema } from './workflow-action-payload';
import { WORKFLOW_ACTIONS, type WorkflowAction } from '../../contracts/backend-routes';

/** Contacts of blocked executions decided per portal per worker round, so webhooks keep flowing in between. */
export const BLOCKED_CONTACTS_PER_ROUND = 25;
/** Blocked executions looked at per portal per round (oldest first). */
const EXECUTIONS_PER_ROUND = 5;

export interface BlockedActionDeps extends WorkflowActionDeps {
  logger: Logger;
}

/**
 * The worker's share of a BLOCKed workflow action (runWorkflowAction answered BLOCK for a company or deal with many
 * contacts): decide the next contacts, save how far it got, and once every contact is decided tell HubSpot the
 * outcome through the callbacks API (POST /automation/v4/actions/callbacks/{callbackId}/complete, hubspot-platform.md
 * §4.4). A transient HubSpot failure or a contact being saved elsewhere leaves the execution for the next round; the
 * saved progress means no contact is decided twice by a crash between rounds (ledger rows are keyed anyway).
 * Returns how many contacts were decided or executions completed (0 = nothing to do).
 */
export async function advanceBlockedActions(deps: BlockedActionDeps, portalId: PortalId, contactBudget = BLOCKED_CONTACTS_PER_ROUND): Promise<number> {
  const open = await deps.store.blockedActions.open(portalId, EXECUTIONS_PER_ROUND);
  let work = 0;
  let budget = contactBudget;
  for (const execution of open) {
    const now = () => deps.clock.now();
    const action = execution.action as WorkflowAction;
    const payload = WorkflowActionPayloadSchema.safeParse(JSON.parse(execution.payload));
    const plan = WORKFLOW_ACTIONS.includes(action) && payload.success ? planOf(action, payload.data) : null;
    let progress = { nextIndex: execution.nextIndex, firstOutputs: execution.firstOutputs, refusals: execution.refusals };
    if (plan === null) {
      // Stored by this backend after planning succeeded: only a code change between the two can get here.
      progress = { nextIndex: execution.contactIds.length, firstOutputs: null, refusals: ['The action could not be planned again after it was blocked.'] };
    }
    try {
      if (plan && progress.nextIndex < execution.contactIds.length && budget > 0) {
        const before = progress.nextIndex;
        progress = await decideContacts(deps, portalId, plan, execution.callbackId, execution.contactIds, progress, budget);
        budget -= progress.nextIndex - before;
        work += progress.nextIndex - before;
        await deps.store.blockedActions.saveProgress(portalId, execution.callbackId, progress, now());
      }
      if (progress.nextIndex < execution.contactIds.length) continue;
      await deps.hubspot.completeCallback(execution.callbackId, answerOf(progress).outputFields);
      await deps.store.blockedActions.markDone(portalId, execution.callbackId, now());
      work++;
    } catch (error) {
      if (error instanceof HubSpotError && (error.kind === 'not_found' || error.kind === 'validation')) {
        // HubSpot no longer knows the execution (expired, or the workflow was deleted) or refuses the completion for
        // good: nothing left to tell it, and retrying would repeat the refusal every round.
        deps.logger.warn({ portalId, callbackId: execution.callbackId, err: error }, 'blocked workflow action: HubSpot refused the completion; dropped');
        await deps.store.blockedActions.markDone(portalId, execution.callbackId, now());
        continue;
      }
      if (error instanceof ActionBusyError || error instanceof HubSpotError) {
        // Busy contact, 429/5xx/timeouts, the daily limit, an auth problem: all pass; the progress saved so far stays.
        deps.logger.warn({ portalId, callbackId: execution.callbackId, err: error }, 'blocked workflow action: retrying next round');
        continue;
      }
      throw error;
    }
  }
  return work;
}

/**
 * The runner's task for BLOCKed workflow actions: every round (and every drain round, so tests and the demo see them
 * completed), a few contacts per portal. A failure is logged and the execution tried again next round.
 */
export function blockedActionsTask(deps: Pick<PipelineDeps, 'store' | 'clock' | 'logger' | 'hubspot' | 'model'>): PeriodicTask {
  return {
    name: 'blocked-workflow-actions',
    everyMs: 0,
    firstRun: 'first_round',
    everyDrainRound: true,
    run: async (portalId) => {
      try {
        // One indexed read when there is nothing blocked (the usual case); HubSpot is not touched then.
        if ((await deps.store.blockedActions.open(portalId, 1)).length === 0) return false;
        return (await advanceBlockedActions({ store: deps.store, clock: deps.clock, logger: deps.logger, hubspot: deps.hubspot(portalId), model: deps.model(portalId) }, portalId)) > 0;
      } catch (error) {
        deps.logger.warn({ portalId, err: error }, 'blocked workflow actions failed this round; tried again next round');
        return false;
      }
    },
  };
}
