import type { CompiledModel } from '../../core';
import { decideRecordNow } from '../pipeline/decide-record-now';
import type { Clock } from '../ports/clock';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';
import type { ExecutionAnswer } from './answer-once';
import { actionInputs, type WorkflowActionPayload } from './workflow-action-payload';
import type { WorkflowAction } from '../../contracts/backend-routes';
import { WORKFLOW_ACTION_SPECS, type ActionContext, type EnrolledObjectType, type PlannedAction } from './workflow-actions';

export interface WorkflowActionDeps {
  store: Store;
  hubspot: HubSpotPort;
  model: CompiledModel;
  clock: Clock;
}

/**
 * A company or a deal is acted on through its contacts (the engine decides contacts), and each contact costs a
 * couple of HubSpot reads. Up to INLINE_CONTACTS are decided while HubSpot waits; more are answered BLOCK and
 * decided by the worker, which then completes the execution through the callbacks API (blocked-actions.ts). Above
 * MAX_CONTACTS_PER_EXECUTION the action is refused with advice rather than left running for hours.
 */
export const INLINE_CONTACTS = 10;
export const MAX_CONTACTS_PER_EXECUTION = 5_000;

/** Someone else kept saving a contact: not an answer, so nothing is stored and HubSpot's retry decides again. */
export class ActionBusyError extends Error {}

const OBJECT_TYPES = { CONTACT: 'contact', COMPANY: 'company', DEAL: 'deal' } as const;

const succeed = (outputs: Record<string, string>): ExecutionAnswer => ({ outputFields: { ...outputs, hs_execution_state: 'SUCCESS' } });
/** A refusal continues the workflow down its failure branch, with the reason in the `refusal` output. */
const refuse = (refusal: string): ExecutionAnswer => ({ outputFields: { refusal, hs_execution_state: 'FAIL_CONTINUE' } });

/**
 * One execution of a custom workflow action: the enrolled record's contacts decided now through the same engine,
 * ledger and outbox as everything else. SUCCESS when the decision applied to at least one contact (outputs from
 * the first, by id), FAIL_CONTINUE with the refusal when the model refused it everywhere or the inputs are invalid.
 */
export async function runWorkflowAction(deps: WorkflowActionDeps, portalId: PortalId, action: WorkflowAction, payload: WorkflowActionPayload): Promise<ExecutionAnswer> {
  const spec = WORKFLOW_ACTION_SPECS[action];
  const objectType = payload.object.objectType as EnrolledObjectType;
  if (!spec.objectTypes.includes(objectType)) {
    return refuse(`This action works on ${spec.objectTypes.map((t) => t.toLowerCase()).join(' and ')} records, not ${payload.object.objectType.toLowerCase()}.`);
  }
  const planned = spec.plan(actionInputs(payload));
  if (!planned.ok) return refuse(planned.problem);
  const { plan } = planned;

  const contactIds = await contactsOf(deps.hubspot, objectType, payload.object.objectId);
  if (contactIds.length === 0) return refuse(`The ${objectType.toLowerCase()} has no associated contacts to act on.`);
  if (contactIds.length > MAX_CONTACTS_PER_EXECUTION) {
    return refuse(`The ${objectType.toLowerCase()} has ${contactIds.length} contacts (more than ${MAX_CONTACTS_PER_EXECUTION}); use a contact-based workflow for large accounts.`);
  }
  if (contactIds.length > INLINE_CONTACTS) {
    await deps.store.blockedActions.saveOnce(
      portalId,
      { callbackId: payload.callbackId, action, payload: JSON.stringify(payload), contactIds, nextIndex: 0, firstOutputs: null, refusals: [], createdAt: deps.clock.now() },
      deps.clock.now(),
    );
    return { outputFields: { hs_execution_state: 'BLOCK' } };
  }

  const progress = await decideContacts(deps, portalId, plan, payload.callbackId, contactIds, { nextIndex: 0, firstOutputs: null, refusals: [] }, contactIds.length);
  return answerOf(progress);
}

/** How far an execution got: contacts before nextIndex are decided. */
export interface ContactsProgress {
  nextIndex: number;
  firstOutputs: Record<string, string> | null;
  refusals: string[];
}

/** SUCCESS with the outputs of the first contact the action applied to; FAIL_CONTINUE with every refusal otherwise. */
export function answerOf(progress: ContactsProgress): ExecutionAnswer {
  return progress.firstOutputs ? succeed(progress.firstOutputs) : refuse(progress.refusals.join(' '));
}

/** Plans an action from its execution request; null when the inputs no longer plan (they did when it was blocked). */
export function planOf(action: WorkflowAction, payload: WorkflowActionPayload): PlannedAction | null {
  const planned = WORKFLOW_ACTION_SPECS[action].plan(actionInputs(payload));
  return planned.ok ? planned.plan : null;
}

/**
 * Decides up to `limit` contacts from `progress.nextIndex` on, in id order, through the same engine, ledger and
 * outbox as everything else. A contact being saved by someone else stops the run (ActionBusyError) with what was
 * decided before it kept in the returned progress of the previous call.
 */
export async function decideContacts(
  deps: WorkflowActionDeps,
  portalId: PortalId,
  plan: PlannedAction,
  callbackId: string,
  contactIds: readonly string[],
  progress: ContactsProgress,
  limit: number,
): Promise<ContactsProgress> {
  let { nextIndex, firstOutputs } = progress;
  const refusals = [...progress.refusals];
  const end = Math.min(contactIds.length, nextIndex + limit);
  // One context per run, as one inline execution has: the same reported facts and output times for its contacts.
  const context: ActionContext = { callbackId, now: deps.clock.now(), model: deps.model };
  for (; nextIndex < end; nextIndex++) {
    const contactId = contactIds[nextIndex]!;
    const decided = await decideRecordNow(deps, portalId, contactId, plan.command, `workflow:${callbackId}`, plan.reportedEvents(context));
    if (decided.outcome === 'busy') throw new ActionBusyError(`contact ${contactId} is being updated`);
    const prefix = contactIds.length > 1 ? `Contact ${contactId}: ` : '';
    if (decided.outcome === 'not_found') refusals.push(`${prefix}HubSpot has no contact ${contactId}.`);
    else if (decided.decision.refusal !== null) refusals.push(`${prefix}${decided.decision.refusal}`);
    else firstOutputs ??= plan.outputs(decided.decision, context);
  }
  return { nextIndex, firstOutputs, refusals };
}

async function contactsOf(hubspot: HubSpotPort, objectType: EnrolledObjectType, objectId: string): Promise<string[]> {
  if (objectType === 'CONTACT') return [objectId];
  const associated = (await hubspot.associations(OBJECT_TYPES[objectType], 'contact', [objectId])).get(objectId) ?? [];
  return [...new Set(associated)].sort((a, b) => Number(a) - Number(b));
}
