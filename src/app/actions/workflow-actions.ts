import { z } from 'zod';
import { isoTime, type Command, type CompiledModel, type Decision } from '../../core';
import type { KeyedFactEvent } from '../facts/activity-events';

import type { WorkflowAction } from '../../contracts/backend-routes';

/** HubSpot's object type names, as an execution payload carries them. */
export type EnrolledObjectType = 'CONTACT' | 'COMPANY' | 'DEAL';

export interface ActionContext {
  callbackId: string;
  now: number;
  model: CompiledModel;
}

export interface ActionDefinition<I> {
  /** The objectTypes the action's hsmeta declares; others are answered FAIL_CONTINUE. */
  objectTypes: readonly EnrolledObjectType[];
  /** Loose: HubSpot sends every input as a string (a mapped property may hold "9" or "9.0"). */
  inputs: z.ZodType<I>;
  command(inputs: I): Command | null;
  /** Facts the action itself reports (a survey answer). */
  reportedEvents(inputs: I, context: ActionContext): KeyedFactEvent[];
  /** The declared output fields of a decision that applied. */
  outputs(decision: Decision, context: ActionContext): Record<string, string>;
}

const stageLabel = (model: CompiledModel, id: string) => model.stageById.get(id)?.label ?? id;
/**
 * A stage output as the action definitions declare it: `<name>` the stage id and `<name>_label` its label, both from
 * the portal's published model (context.model), so a portal's own stages and labels come out; '' for no stage.
 */
const stageOutput = (name: string, model: CompiledModel, id: string | null | undefined): Record<string, string> => ({
  [name]: id ?? '',
  [`${name}_label`]: id ? stageLabel(model, id) : '',
});
/** The command's own step is the last one; catch-up moves the engine made first come before it. */
const commandStep = (decision: Decision) => decision.steps.at(-1);
const Reason = z.object({ reason: z.string().trim().min(1, 'reason is required') });

const evaluateAction: ActionDefinition<Record<string, unknown>> = {
  objectTypes: ['CONTACT', 'COMPANY'],
  inputs: z.record(z.string(), z.unknown()),
  command: () => null,
  reportedEvents: () => [],
  outputs(decision, { model }) {
    const { state } = decision;
    const moved = decision.steps.length > 0;
    const stillIn = state.stage === null ? 'Not in the lifecycle yet: no entry criterion is met.' : `No change: still in ${stageLabel(model, state.stage)}.`;
    return {
      ...stageOutput('stage', model, state.stage),
      ...stageOutput('previous_stage', model, moved ? decision.from : state.previousStage),
      transition_kind: decision.kind === 'none' ? '' : decision.kind,
      reason: decision.steps.at(-1)?.reason ?? stillIn,
    };
  },
};

const recycleAction: ActionDefinition<z.infer<typeof Reason>> = {
  objectTypes: ['CONTACT', 'COMPANY', 'DEAL'],
  inputs: Reason,
  command: ({ reason }) => ({ type: 'recycle', reason }),
  reportedEvents: () => [],
  outputs: ({ state }, { model }) => ({
    ...stageOutput('returned_to_stage', model, state.stage),
    // ISO-8601: what HubSpot accepts for datetime values (epoch ms would be the alternative; UNVERIFIED which it prefers).
    paused_until: state.marketingPausedUntil === null ? '' : isoTime(state.marketingPausedUntil),
  }),
};

const deadEndAction: ActionDefinition<z.infer<typeof Reason>> = {
  objectTypes: ['CONTACT', 'COMPANY'],
  inputs: Reason,
  command: ({ reason }) => ({ type: 'dead_end', reason }),
  reportedEvents: () => [],
  outputs: (decision, { model }) => stageOutput('previous_stage', model, commandStep(decision)?.from),
};

const fastpassAction: ActionDefinition<{ target_stage: string }> = {
  objectTypes: ['CONTACT', 'COMPANY'],
  inputs: z.object({ target_stage: z.string().trim().min(1, 'target_stage is required') }),
  command: ({ target_stage }) => ({ type: 'fastpass', to: target_stage }),
  reportedEvents: () => [],
  outputs: (decision, { model }) => ({
    ...stageOutput('stage', model, decision.state.stage),
    // Labels, not ids: the output feeds task titles ("skipped {{skipped stages}}").
    skipped_stages: (commandStep(decision)?.skipped ?? []).map((id) => stageLabel(model, id)).join(', '),
  }),
};

const Score = z.coerce.number().int('score must be a whole number');
const SurveyAnswer = z.discriminatedUnion('kind', [z.object({ kind: z.literal('nps'), score: Score.min(0).max(10) }), z.object({ kind: z.literal('csat'), score: Score.min(1).max(5) })]);

const satisfactionAction: ActionDefinition<z.infer<typeof SurveyAnswer>> = {
  objectTypes: ['CONTACT'],
  inputs: SurveyAnswer,
  command: () => null,
  /**
   * The answer becomes an nps_answered fact event on the contact: the engine's promoter rule reads it and account
   * health scores it. The core has no CSAT event type, so a CSAT answer is an nps_answered event marked kind "csat"
   * (its 1-5 score can never meet the promoter rule's score ≥ 9). Keyed by callbackId alone, so even a retry that
   * decides again cannot store the answer twice.
   */
  reportedEvents: ({ kind, score }, { callbackId, now }) => [{ key: `nps_answered:workflow:${callbackId}`, type: 'nps_answered', at: now, id: callbackId, attrs: { score, kind } }],
  outputs: ({ state }, { model }) => stageOutput('stage', model, state.stage),
};

/** An action with its inputs parsed: what to decide, which facts to add, and how to report the decision. */
export interface PlannedAction {
  command: Command | null;
  reportedEvents(context: ActionContext): KeyedFactEvent[];
  outputs(decision: Decision, context: ActionContext): Record<string, string>;
}

export interface WorkflowActionSpec {
  objectTypes: readonly EnrolledObjectType[];
  /** Parses the inputs; a problem is the admin's to fix in the workflow, so it is reported, not thrown. */
  plan(inputs: Record<string, unknown>): { ok: true; plan: PlannedAction } | { ok: false; problem: string };
}

function spec<I>(definition: ActionDefinition<I>): WorkflowActionSpec {
  return {
    objectTypes: definition.objectTypes,
    plan(inputs) {
      const parsed = definition.inputs.safeParse(inputs);
      if (!parsed.success) return { ok: false, problem: `Invalid inputs: ${z.prettifyError(parsed.error).replace(/\s*\n\s*/g, ' ')}` };
      const data = parsed.data;
      return {
        ok: true,
        plan: {
          command: definition.command(data),
          reportedEvents: (context) => definition.reportedEvents(data, context),
          outputs: (decision, context) => definition.outputs(decision, context),
        },
      };
    },
  };
}

export const WORKFLOW_ACTION_SPECS: Record<WorkflowAction, WorkflowActionSpec> = {
  evaluate: spec(evaluateAction),
  recycle: spec(recycleAction),
  'dead-end': spec(deadEndAction),
  fastpass: spec(fastpassAction),
  satisfaction: spec(satisfactionAction),
};
