import { z } from 'zod';
import type { Clock } from '../clock';
import type { CrmService } from '../domain/crm-service';
import { notFound } from '../domain/simulated-api-error';
import { OBJECT_TYPES } from '../domain/object-types';
import type { Accounting } from '../stats/accounting';
import { signedPost } from '../webhooks/signed-post';
import type { ActionDefinition } from '../flows/action-definitions';
import { fetchActionInputOptions, type OptionsFetchInput, type OptionsFetchOutcome } from './action-input-options';

/** A simulated workflow reaching our custom action: what to call and for which record. */
export const enrolmentSchema = z.strictObject({
  actionUrl: z.url(),
  objectType: z.enum(OBJECT_TYPES).default('contacts'),
  objectId: z.string().regex(/^\d+$/, 'objectId must be a numeric record id'),
  inputFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Record properties sent along (the action's `objectRequestOptions.properties`). */
  properties: z.array(z.string()).default([]),
  workflowId: z.number().int().positive().default(1_567_555_043),
  actionId: z.number().int().positive().default(1),
  actionDefinitionId: z.number().int().positive().default(77_899_621),
  actionDefinitionVersion: z.number().int().positive().default(1),
});

export type EnrolmentInput = z.input<typeof enrolmentSchema>;

export type ExecutionState = 'SUCCESS' | 'FAIL_CONTINUE' | 'BLOCK' | 'ERROR' | 'COMPLETED_BY_CALLBACK';

export interface WorkflowExecution {
  callbackId: string;
  portalId: number;
  actionUrl: string;
  request: Record<string, unknown>;
  status?: number;
  error?: string;
  responseBody?: unknown;
  state: ExecutionState;
  outputFields: Record<string, string>;
  completedAt?: number;
}

const OBJECT_TYPE_NAMES = { contacts: 'CONTACT', companies: 'COMPANY', deals: 'DEAL', tasks: 'TASK', notes: 'NOTE' } as const;

/**
 * Plays HubSpot's workflow engine for custom actions: POSTs the execution payload (docs/hubspot-platform.md §4.2)
 * signed v3 + v2 to the action URL, records the returned `hs_execution_state`, and keeps BLOCKed executions
 * open until the callbacks API completes them.
 */
export class WorkflowRunner {
  private readonly executions = new Map<string, WorkflowExecution>();
  private nextEnrollment = 403_081_688_001;

  constructor(private readonly deps: { clock: Clock; accounting: Accounting; timeoutMs: number }) {}

  async enrol(portal: { portalId: number; clientSecret: string; crm: CrmService }, input: EnrolmentInput): Promise<WorkflowExecution> {
    const enrolment = enrolmentSchema.parse(input);
    const record = portal.crm.require(enrolment.objectType, enrolment.objectId);
    const enrollmentId = this.nextEnrollment++;
    const callbackId = `ap-${portal.portalId}-${enrollmentId}-${enrolment.actionId}-0`;
    const inputFields = Object.fromEntries(Object.entries(enrolment.inputFields).map(([k, v]) => [k, String(v)]));
    const request = {
      callbackId,
      origin: {
        portalId: portal.portalId,
        actionDefinitionId: enrolment.actionDefinitionId,
        actionDefinitionVersion: enrolment.actionDefinitionVersion,
        actionExecutionIndexIdentifier: { enrollmentId, actionExecutionIndex: 0 },
        extensionDefinitionId: enrolment.actionDefinitionId,
        extensionDefinitionVersionId: enrolment.actionDefinitionVersion,
      },
      context: { source: 'WORKFLOWS', workflowId: enrolment.workflowId, actionId: enrolment.actionId },
      object: {
        objectId: Number(record.id),
        objectType: OBJECT_TYPE_NAMES[enrolment.objectType],
        properties: Object.fromEntries(enrolment.properties.map((name) => [name, record.properties.get(name) ?? null])),
      },
      fields: inputFields,
      inputFields,
    };
    const outcome = await signedPost({
      url: enrolment.actionUrl,
      body: JSON.stringify(request),
      clientSecret: portal.clientSecret,
      timestamp: this.deps.clock.now(),
      legacyVersion: 'v2',
      timeoutMs: this.deps.timeoutMs,
    });
    this.deps.accounting.bump(portal.portalId, 'workflowExecutions');
    const responseBody = parseJson(outcome.body);
    const outputFields = readOutputFields(responseBody);
    const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
    const declared = outputFields.hs_execution_state;
    const state: ExecutionState = !ok ? 'ERROR' : declared === 'BLOCK' || declared === 'FAIL_CONTINUE' ? declared : 'SUCCESS';
    const execution: WorkflowExecution = {
      callbackId,
      portalId: portal.portalId,
      actionUrl: enrolment.actionUrl,
      request,
      state,
      outputFields,
      responseBody,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    };
    this.executions.set(callbackId, execution);
    return execution;
  }

  /** The workflow editor opening a select input of `definition` (action-input-options.ts). */
  inputOptions(portal: { portalId: number; appId: number; clientSecret: string }, definition: ActionDefinition, input: OptionsFetchInput): Promise<OptionsFetchOutcome> {
    if (definition.appId !== portal.appId) throw notFound(`Action definition ${definition.id} does not belong to the app installed in portal ${portal.portalId}`);
    return fetchActionInputOptions(this.deps, portal, definition, input);
  }

  /** The callbacks API: only a BLOCKed execution of the caller's portal can be completed. */
  complete(portalId: number, callbackId: string, outputFields: Record<string, string>): WorkflowExecution {
    const execution = this.executions.get(callbackId);
    if (!execution || execution.portalId !== portalId || execution.state !== 'BLOCK') {
      throw notFound(`No blocked workflow action execution with callbackId ${callbackId}`);
    }
    execution.state = 'COMPLETED_BY_CALLBACK';
    execution.outputFields = { ...execution.outputFields, ...outputFields };
    execution.completedAt = this.deps.clock.now();
    this.deps.accounting.bump(portalId, 'callbacksCompleted');
    return execution;
  }

  list(portalId?: number): WorkflowExecution[] {
    return [...this.executions.values()].filter((e) => portalId === undefined || e.portalId === portalId);
  }
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readOutputFields(body: unknown): Record<string, string> {
  const fields = (body as { outputFields?: unknown } | undefined)?.outputFields;
  if (typeof fields !== 'object' || fields === null) return {};
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
}
