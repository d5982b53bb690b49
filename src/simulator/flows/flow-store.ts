import { z } from 'zod';
import { notFound, validationError } from '../domain/simulated-api-error';
import { OBJECT_TYPE_IDS } from '../domain/object-types';
import type { ActionDefinitionRegistry } from './action-definitions';

/**
 * A v4 flow as the Workflows API (BETA) takes it: https://developers.hubspot.com/docs/api/automation/workflows and
 * https://developers.hubspot.com/docs/api-reference/legacy/automation/workflows/action-enrollment-reference.
 * Loose: HubSpot's flow JSON has many optional parts (timeWindows, blockedDates, goals, …) the simulator keeps
 * verbatim without interpreting.
 */
const Connection = z.looseObject({ edgeType: z.enum(['STANDARD', 'GOTO']).default('STANDARD'), nextActionId: z.string() });
const Action = z.looseObject({
  actionId: z.string().regex(/^\d+$/, 'actionId is a numeric string'),
  actionTypeId: z
    .string()
    .regex(/^\d+-\d+$/, 'actionTypeId looks like "0-5" (built-in) or "1-<definitionId>" (app action)')
    .optional(),
  actionTypeVersion: z.number().int().min(0).optional(),
  type: z.enum(['SINGLE_CONNECTION', 'LIST_BRANCH', 'STATIC_BRANCH', 'AB_TEST_BRANCH', 'CUSTOM_CODE', 'WEBHOOK']),
  connection: Connection.optional(),
  listBranches: z.array(z.looseObject({ connection: Connection.optional() })).optional(),
  defaultBranch: Connection.optional(),
  fields: z.unknown().optional(),
});
export const FlowCreateBody = z.looseObject({
  name: z.string().trim().min(1, 'name is required'),
  type: z.enum(['CONTACT_FLOW', 'PLATFORM_FLOW']),
  flowType: z.literal('WORKFLOW').default('WORKFLOW'),
  objectTypeId: z.string().min(1),
  isEnabled: z.boolean(),
  description: z.string().optional(),
  startActionId: z.string().optional(),
  nextAvailableActionId: z.string().optional(),
  actions: z.array(Action).default([]),
  enrollmentCriteria: z.looseObject({ type: z.enum(['LIST_BASED', 'EVENT_BASED', 'MANUAL']) }).optional(),
  suppressionListIds: z.array(z.union([z.number(), z.string()])).default([]),
});
export const FlowUpdateBody = FlowCreateBody.extend({ revisionId: z.string().min(1, 'revisionId is required') });

export interface SimulatedFlow {
  id: string;
  revisionId: string;
  createdAt: number;
  updatedAt: number;
  body: z.output<typeof FlowCreateBody>;
}

/** One portal's workflows. The simulator stores and serves them; it does not run their actions. */
export class FlowStore {
  private readonly flows = new Map<string, SimulatedFlow>();
  private nextId = 585_051_001;

  constructor(private readonly deps: { now: () => number; definitions: ActionDefinitionRegistry; listExists: (listId: string) => boolean }) {}

  create(body: z.output<typeof FlowCreateBody>): SimulatedFlow {
    this.check(body);
    const now = this.deps.now();
    const flow: SimulatedFlow = { id: String(this.nextId++), revisionId: '1', createdAt: now, updatedAt: now, body };
    this.flows.set(flow.id, flow);
    return flow;
  }

  /** HubSpot asks for the current revisionId so that an update never silently overwrites another edit. */
  update(flowId: string, body: z.output<typeof FlowUpdateBody>): SimulatedFlow {
    const flow = this.get(flowId);
    if (body.revisionId !== flow.revisionId) throw validationError(`revisionId ${body.revisionId} is not the current revision (${flow.revisionId}) of flow ${flowId}`);
    const { revisionId: _current, ...rest } = body;
    this.check(rest);
    flow.body = rest;
    flow.revisionId = String(Number(flow.revisionId) + 1);
    flow.updatedAt = this.deps.now();
    return flow;
  }

  get(flowId: string): SimulatedFlow {
    const flow = this.flows.get(flowId);
    if (!flow) throw notFound(`Flow ${flowId} does not exist`);
    return flow;
  }

  all(): SimulatedFlow[] {
    return [...this.flows.values()];
  }

  delete(flowId: string): void {
    this.get(flowId);
    this.flows.delete(flowId);
  }

  private check(body: z.output<typeof FlowCreateBody>): void {
    if (body.type === 'CONTACT_FLOW' && body.objectTypeId !== OBJECT_TYPE_IDS.contacts)
      throw validationError('A CONTACT_FLOW enrolls contacts (objectTypeId 0-1); use PLATFORM_FLOW for other objects');
    if (body.type === 'PLATFORM_FLOW' && body.objectTypeId === OBJECT_TYPE_IDS.contacts) throw validationError('Contact workflows are CONTACT_FLOW');
    const ids = new Set(body.actions.map((a) => a.actionId));
    if (ids.size !== body.actions.length) throw validationError('actionId values must be unique');
    if (body.actions.length > 0 && (!body.startActionId || !ids.has(body.startActionId)))
      throw validationError(`startActionId ${body.startActionId ?? '(missing)'} is not one of the actions`);
    for (const action of body.actions) {
      const targets = [action.connection, action.defaultBranch, ...(action.listBranches ?? []).map((b) => b.connection)].filter((c) => c !== undefined);
      for (const target of targets) if (!ids.has(target.nextActionId)) throw validationError(`action ${action.actionId} connects to unknown action ${target.nextActionId}`);
      const custom = action.actionTypeId?.match(/^1-(\d+)$/);
      if (custom && !this.deps.definitions.find(custom[1]!)) throw validationError(`action ${action.actionId}: no custom action definition ${custom[1]!}`);
    }
    for (const listId of body.suppressionListIds) if (!this.deps.listExists(String(listId))) throw validationError(`suppression list ${String(listId)} does not exist`);
  }
}
