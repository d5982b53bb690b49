import type { CompiledModel, Decision } from '../../core';
import { decideRecordNow } from '../pipeline/decide-record-now';
import type { Clock } from '../ports/clock';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';
import type { ExecutionAnswer } from './answer-once';
import { actionInputs, type WorkflowActionPayload } from './workflow-action-payload';
import type { WorkflowAction } from '../../contracts/backend-routes';
import { WORKFLOW_ACTION_SPECS, type ActionContext, type EnrolledObjectType } from './workflow-actions';

export interface WorkflowActionDeps {
  store: Store;
  hubspot: HubSpotPort;
  model: CompiledModel;
  clock: Clock;
}

/**
 * A company or a deal is acted on through its contacts (the engine decides contacts). A workflow must answer
 * within HubSpot's timeout and each contact costs a couple of HubSpot reads, so larger accounts are refused with
 * advice rather than half done.
 */
export const MAX_CONTACTS_PER_EXECUTION = 50;

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

  const applied: Decision[] = [];
  const refusals: string[] = [];
  let context: ActionContext | null = null;
  for (const contactId of contactIds) {
    const now = deps.clock.now();
    context ??= { callbackId: payload.callbackId, now, model: deps.model };
    const actor = `workflow:${payload.callbackId}`;
    const decided = await decideRecordNow(deps, portalId, contactId, plan.command, actor, plan.reportedEvents(context));
    if (decided.outcome === 'busy') throw new ActionBusyError(`contact ${contactId} is being updated`);
    const prefix = contactIds.length > 1 ? `Contact ${contactId}: ` : '';
    if (decided.outcome === 'not_found') refusals.push(`${prefix}HubSpot has no contact ${contactId}.`);
    else if (decided.decision.refusal !== null) refusals.push(`${prefix}${decided.decision.refusal}`);
    else applied.push(decided.decision);
  }
  const first = applied[0];
  return first && context ? succeed(plan.outputs(first, context)) : refuse(refusals.join(' '));
}

async function contactsOf(hubspot: HubSpotPort, objectType: EnrolledObjectType, objectId: string): Promise<string[]> {
  if (objectType === 'CONTACT') return [objectId];
  const associated = (await hubspot.associations(OBJECT_TYPES[objectType], 'contact', [objectId])).get(objectId) ?? [];
  return [...new Set(associated)].sort((a, b) => Number(a) - Number(b));
}
