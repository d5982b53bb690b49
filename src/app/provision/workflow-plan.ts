import { LC_PROPERTIES, type CompiledModel } from '../../core';
import type { WorkflowAction } from '../../contracts/backend-routes';
import type { FlowBody } from '../ports/hubspot-flows-port';
import { ASSET_NAME_PREFIX, CONTACT_OBJECT_TYPE_ID } from './list-plan';
import { REQUEST_PROPERTIES } from './property-plan';

/** A step running one of our app's custom actions: `actionTypeId "1-<definitionId>"`, version = its revision. */
export interface ActionRef {
  definitionId: string;
  revisionId: string;
}

export interface WorkflowPlanInput {
  model: CompiledModel;
  /** HubSpot list ids by our list key (list-plan.ts), for list-based enrollment and suppression. */
  listIds: ReadonlyMap<string, string>;
  /** Our custom actions in this portal; null when they cannot be read (no app id known). */
  actions: ReadonlyMap<WorkflowAction, ActionRef> | null;
}

export interface PlannedWorkflow {
  key: string;
  name: string;
  body: FlowBody | null;
  /** Why the workflow cannot be built here (body is null). */
  missing?: string;
  summary: string;
}

const DEAL_OBJECT_TYPE_ID = '0-3';
/** Task → contact association type (HUBSPOT_DEFINED; hubspot-platform.md §5). */
const TASK_TO_CONTACT = 204;

type Action = Record<string, unknown> & { actionId: string };

const orOfAnd = (...filters: Array<Record<string, unknown>>) => ({
  filterBranchType: 'OR',
  filters: [],
  filterBranches: [{ filterBranchType: 'AND', filters, filterBranches: [] }],
});
const enumIs = (property: string, values: string[]) => ({
  filterType: 'PROPERTY',
  property,
  operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values, includeObjectsWithNoValueSet: false },
});
const next = (actionId: string) => ({ edgeType: 'STANDARD', nextActionId: actionId });
const customStep = (actionId: string, ref: ActionRef, fields: Record<string, string>, then?: string): Action => ({
  actionId,
  actionTypeId: `1-${ref.definitionId}`,
  actionTypeVersion: Number(ref.revisionId),
  type: 'SINGLE_CONNECTION',
  fields,
  ...(then ? { connection: next(then) } : {}),
});

/**
 * A flow body (automation v4, BETA): created DISABLED so the admin reviews it and turns it on. Shapes follow
 * HubSpot's workflows guide and action/enrollment reference
 * (https://developers.hubspot.com/docs/api-reference/legacy/automation/workflows/guide,
 * …/action-enrollment-reference): string action ids, `startActionId`, `nextAvailableActionId`, LIST_BASED
 * enrollment with an OR-of-AND `listFilterBranch`. Built-in action type ids (0-3 task, 0-35 delay until a date)
 * and their `fields` are taken from published v4 flow payloads: UNVERIFIED against HubSpot's reference page.
 */
function flow(input: { name: string; objectTypeId: string; description: string; enrollment: Record<string, unknown>; actions: Action[]; suppressionListIds?: string[] }): FlowBody {
  const maxId = Math.max(0, ...input.actions.map((a) => Number(a.actionId)));
  return {
    name: input.name,
    description: input.description,
    type: input.objectTypeId === CONTACT_OBJECT_TYPE_ID ? 'CONTACT_FLOW' : 'PLATFORM_FLOW',
    flowType: 'WORKFLOW',
    objectTypeId: input.objectTypeId,
    isEnabled: false,
    startActionId: input.actions[0]?.actionId ?? '1',
    nextAvailableActionId: String(maxId + 1),
    actions: input.actions,
    enrollmentCriteria: { type: 'LIST_BASED', shouldReEnroll: false, unEnrollObjectsNotMeetingCriteria: false, reEnrollmentTriggersFilterBranches: [], listFilterBranch: input.enrollment },
    suppressionListIds: (input.suppressionListIds ?? []).map(Number),
  };
}

/** What every recipe reads: the model and this portal's lists and actions, with "missing" reasons. */
interface RecipeContext {
  model: CompiledModel;
  name(label: string): string;
  /** The action's reference, or why it is unavailable. */
  action(action: WorkflowAction): ActionRef | string;
  /** The HubSpot list id, or '' when the list is not provisioned. */
  list(key: string): string;
}

const unavailable = (key: string, name: string, summary: string, missing: string): PlannedWorkflow => ({ key, name, body: null, missing, summary });

/** Recipe 1. Deal closed lost → Recycle record, one branch per lost reason (the action takes a static reason). */
function dealLostRecycle(ctx: RecipeContext): PlannedWorkflow[] {
  const rule = ctx.model.recycleRules.find((r) => JSON.stringify(r.when).includes('"deal_lost"'));
  if (!rule) return [];
  const key = 'deal_lost_recycle';
  const label = ctx.name('Deal closed lost → Recycle record');
  const summary = `recycles the deal's contacts and company with the lost reason from ${REQUEST_PROPERTIES.lostReason} (default: ${rule.defaultReason})`;
  const recycle = ctx.action('recycle');
  if (typeof recycle === 'string') return [unavailable(key, label, summary, recycle)];
  const reasons = rule.reasons.filter((r) => r.code !== rule.defaultReason);
  const defaultId = String(reasons.length + 2);
  const branch: Action = {
    actionId: '1',
    type: 'LIST_BRANCH',
    listBranches: reasons.map((r, i) => ({ branchName: r.label, filterBranch: orOfAnd(enumIs(REQUEST_PROPERTIES.lostReason, [r.code])), connection: next(String(i + 2)) })),
    defaultBranchName: 'Other / not given',
    defaultBranch: next(defaultId),
  };
  const body = flow({
    name: label,
    objectTypeId: DEAL_OBJECT_TYPE_ID,
    description: `Recycle the buyers of a lost deal (${rule.label}); marketing email pauses for ${rule.pauseDays} days.`,
    enrollment: orOfAnd({
      filterType: 'PROPERTY',
      property: 'hs_is_closed_lost',
      operation: { operationType: 'BOOL', operator: 'IS_EQUAL_TO', value: true, includeObjectsWithNoValueSet: false },
    }),
    actions: [branch, ...reasons.map((r, i) => customStep(String(i + 2), recycle, { reason: r.code })), customStep(defaultId, recycle, { reason: rule.defaultReason })],
  });
  return [{ key, name: label, summary, body }];
}

/** Recipe 2. Disqualification → Mark dead end (the recipe's "job title contains student" rule), when the model has it. */
function studentDeadEnd(ctx: RecipeContext): PlannedWorkflow[] {
  const student = ctx.model.deadEnd.reasons.find((r) => r.code === 'student');
  if (!student) return [];
  const key = 'student_dead_end';
  const label = ctx.name('Job title says student → Mark dead end');
  const summary = `marks contacts whose job title contains "student" as dead end (${student.label})`;
  const deadEnd = ctx.action('dead-end');
  if (typeof deadEnd === 'string') return [unavailable(key, label, summary, deadEnd)];
  const body = flow({
    name: label,
    objectTypeId: CONTACT_OBJECT_TYPE_ID,
    description: 'Disqualifies students for good; swap the trigger for your disqualification form.',
    enrollment: orOfAnd({
      filterType: 'PROPERTY',
      property: 'jobtitle',
      operation: { operationType: 'MULTISTRING', operator: 'CONTAINS', values: ['student'], includeObjectsWithNoValueSet: false },
    }),
    actions: [customStep('1', deadEnd, { reason: student.code })],
  });
  return [{ key, name: label, summary, body }];
}

/** SLA past due → a HIGH task for the owner, one workflow per stage with an SLA, enrolled by its list. */
function slaPastDueTasks(ctx: RecipeContext): PlannedWorkflow[] {
  return ctx.model.stages
    .filter((s) => s.slaDays !== null)
    .map((stage) => {
      const key = `sla_past_due:${stage.id}`;
      const label = ctx.name(`SLA past due: ${stage.label} → task for the owner`);
      const summary = `creates a HIGH task for the owner of a contact in ${stage.label} past its ${stage.slaDays}-day SLA`;
      const listId = ctx.list(key);
      if (!listId) return unavailable(key, label, summary, `list ${key} is not provisioned (run lifecycle provision)`);
      const task: Action = {
        actionId: '1',
        actionTypeId: '0-3',
        actionTypeVersion: 0,
        type: 'SINGLE_CONNECTION',
        fields: {
          task_type: 'TODO',
          subject: `SLA past due: ${stage.label}`,
          body: `In ${stage.label} for more than ${stage.slaDays} days (Lifecycle Engine).`,
          priority: 'HIGH',
          associations: [{ target: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_CONTACT }, value: { type: 'ENROLLED_OBJECT' } }],
          use_explicit_associations: 'true',
          owner_assignment: { type: 'CUSTOM', value: { type: 'OBJECT_PROPERTY', propertyName: 'hubspot_owner_id' } },
        },
      };
      const body = flow({
        name: label,
        objectTypeId: CONTACT_OBJECT_TYPE_ID,
        description: `Owner follow-up when a contact stays in ${stage.label} longer than ${stage.slaDays} days.`,
        enrollment: orOfAnd({ filterType: 'IN_LIST', listId, operator: 'IN_LIST' }),
        actions: [task],
      });
      return { key, name: label, summary, body };
    });
}

/** Recycle nurture: paused and dead-end contacts are its suppression lists, so they are unenrolled while paused. */
function recycleNurture(ctx: RecipeContext): PlannedWorkflow[] {
  const recycleStages = ctx.model.stages.filter((s) => s.kind === 'recycle').map((s) => s.id);
  if (recycleStages.length === 0) return [];
  const key = 'recycle_nurture';
  const label = ctx.name('Recycle nurture (add your emails; paused contacts suppressed)');
  const summary = 'template nurture for recycled contacts: waits until the pause ends, re-evaluates the stage; "marketing paused" and "dead end" are its suppression lists';
  const paused = ctx.list('marketing_paused');
  const deadEnd = ctx.list('dead_end');
  if (!paused || !deadEnd) return [unavailable(key, label, summary, 'lists marketing_paused and dead_end are not provisioned (run lifecycle provision)')];
  const evaluate = ctx.action('evaluate');
  if (typeof evaluate === 'string') return [unavailable(key, label, summary, evaluate)];
  const waitForPauseEnd: Action = {
    actionId: '1',
    actionTypeId: '0-35',
    actionTypeVersion: 0,
    type: 'SINGLE_CONNECTION',
    fields: { date: { type: 'OBJECT_PROPERTY', propertyName: LC_PROPERTIES.marketingPausedUntil }, delta: '0', time_unit: 'DAYS' },
    connection: next('2'),
  };
  const body = flow({
    name: label,
    objectTypeId: CONTACT_OBJECT_TYPE_ID,
    description: 'Add your nurture emails after the wait. Contacts in the suppression lists are unenrolled, so no email reaches a paused buyer.',
    enrollment: orOfAnd(enumIs(LC_PROPERTIES.stage, recycleStages)),
    suppressionListIds: [paused, deadEnd],
    actions: [waitForPauseEnd, customStep('2', evaluate, {})],
  });
  return [{ key, name: label, summary, body }];
}

const RECIPES = [dealLostRecycle, studentDeadEnd, slaPastDueTasks, recycleNurture];

/**
 * The recommended workflows of docs/workflow-recipes.md as real flows on our actions and properties (pure).
 * A workflow whose pieces are missing in this portal (our actions unreadable, a list absent) is planned with
 * `body: null` and the reason, so `install` reports it instead of creating half a workflow.
 */
export function workflowPlan({ model, listIds, actions }: WorkflowPlanInput): PlannedWorkflow[] {
  const ctx: RecipeContext = {
    model,
    name: (label) => `${ASSET_NAME_PREFIX}${label}`,
    action: (action) =>
      actions?.get(action) ??
      (actions === null ? 'our custom actions cannot be read: set HUBSPOT_APP_ID' : `the app's "${action}" action is not defined in this portal (upload the project)`),
    list: (key) => listIds.get(key) ?? '',
  };
  return RECIPES.flatMap((recipe) => recipe(ctx));
}
