import { TRANSITION_KINDS, transitionKindLabel } from '../../core';
import type { AppConfig } from '../app-config';
import type { ActionTypeDefinition, ExternalOptionsTypeDefinition, WorkflowActionHsmeta } from '../schemas/workflow-action-hsmeta';
import { workflowActionOptionsPath, workflowActionPath, type ActionWithOptions, type WorkflowAction } from '../../contracts/backend-routes';

type Option = { value: string; label: string };

const select = (name: string, options: Option[]): ActionTypeDefinition => ({ name, type: 'enumeration', fieldType: 'select', options });
const text = (name: string): ActionTypeDefinition => ({ name, type: 'string', fieldType: 'text' });

/**
 * A stage output: the stage id as a string, and beside it its label, both from the portal's published model at the
 * time the action ran. Not an enumeration of this build's stages: each portal runs its own model revision and may add
 * or relabel stages, and HubSpot documents no optionsUrl for outputs (only for inputs), so an enumeration's options
 * would be those of the model this project was built with. HubSpot's reference: outputFields take a typeDefinition
 * like input fields (name, type, fieldType; `type: "string"`, `fieldType: "text"` in its example), their values are
 * returned in the execution answer's outputFields and usable by later actions; a string output compares with
 * "is equal to" in a branch
 * (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference,
 * "Output fields"; https://developers.hubspot.com/docs/apps/developer-platform/add-features/custom-workflow-actions).
 * UNVERIFIED: how the workflow editor offers a string output in a branch (free text to compare with, where an
 * enumeration showed a list); docs/workflow-recipes.md says to compare with the stage id.
 */
const stageOutputs = (name: string, label: string): ActionSpec['outputs'] => [
  { definition: text(name), label: `${label} (id)` },
  { definition: text(`${name}_label`), label },
];

/**
 * A select input whose options the workflow editor fetches from the backend (POST /actions/<action>/options,
 * answered from the portal's published model: app/actions/action-input-options.ts), so a portal that published its
 * own reasons or stages sees those, not the ones of the model this project was built with.
 */
const fromPortalModel =
  (action: ActionWithOptions, name: string) =>
  (config: AppConfig): ExternalOptionsTypeDefinition => ({
    name,
    type: 'enumeration',
    fieldType: 'select',
    optionsUrl: `${config.backendUrl}${workflowActionOptionsPath(action)}`,
  });
const KIND_OPTIONS: Option[] = TRANSITION_KINDS.map((kind) => ({ value: kind, label: transitionKindLabel(kind) }));

interface ActionSpec {
  name: WorkflowAction;
  uid: string;
  objectTypes: WorkflowActionHsmeta['config']['objectTypes'];
  inputs: { definition: ActionTypeDefinition | ((config: AppConfig) => ExternalOptionsTypeDefinition); label: string; description: string; required: boolean; fromProperty?: boolean }[];
  outputs: { definition: ActionTypeDefinition; label: string }[];
  labels: { actionName: string; actionDescription: string; actionCardContent: string };
}

function specs(): ActionSpec[] {
  return [
    {
      name: 'evaluate',
      uid: 'evaluate_lifecycle_stage',
      objectTypes: ['CONTACT', 'COMPANY'],
      inputs: [],
      outputs: [
        ...stageOutputs('stage', 'Lifecycle stage'),
        ...stageOutputs('previous_stage', 'Previous stage'),
        { definition: select('transition_kind', KIND_OPTIONS), label: 'Transition kind' },
        { definition: text('reason'), label: 'Reason' },
      ],
      labels: {
        actionName: 'Evaluate lifecycle stage',
        actionDescription: 'Re-reads the record and applies the lifecycle model now; branch on the resulting stage.',
        actionCardContent: 'Evaluate the lifecycle stage',
      },
    },
    {
      name: 'recycle',
      uid: 'recycle_record',
      // On a deal, the backend recycles the deal's contacts and company (Recycle B after a lost deal).
      objectTypes: ['CONTACT', 'COMPANY', 'DEAL'],
      inputs: [
        {
          definition: fromPortalModel('recycle', 'reason'),
          label: 'Reason',
          description: 'Why the record goes back to nurturing; it sets the marketing email pause of the matching recycle rule.',
          required: true,
        },
      ],
      outputs: [...stageOutputs('returned_to_stage', 'Returned to stage'), { definition: { name: 'paused_until', type: 'datetime', fieldType: 'date' }, label: 'Marketing paused until' }],
      labels: {
        actionName: 'Recycle record',
        actionDescription: "Sends the record back to nurturing through Recycle A/B and pauses marketing email for the rule's period.",
        actionCardContent: 'Recycle: {{reason}}',
      },
    },
    {
      name: 'dead-end',
      uid: 'mark_dead_end',
      objectTypes: ['CONTACT', 'COMPANY'],
      inputs: [
        {
          definition: fromPortalModel('dead-end', 'reason'),
          label: 'Reason',
          description: 'Why the record can never buy. Dead end is terminal: it is never recycled or scored back.',
          required: true,
        },
      ],
      outputs: stageOutputs('previous_stage', 'Previous stage'),
      labels: {
        actionName: 'Mark dead end',
        actionDescription: 'Moves the record out of nurture for good, with a reason.',
        actionCardContent: 'Dead end: {{reason}}',
      },
    },
    {
      name: 'fastpass',
      uid: 'fastpass_to_stage',
      objectTypes: ['CONTACT', 'COMPANY'],
      inputs: [
        {
          definition: fromPortalModel('fastpass', 'target_stage'),
          label: 'Target stage',
          description: 'A later stage on the path; the stages in between are recorded as skipped, not passed.',
          required: true,
        },
      ],
      outputs: [...stageOutputs('stage', 'Lifecycle stage'), { definition: text('skipped_stages'), label: 'Skipped stages' }],
      labels: {
        actionName: 'Fastpass to stage',
        actionDescription: 'Moves the record straight to a later path stage and records the skip so conversion rates stay honest.',
        actionCardContent: 'Fastpass to {{target_stage}}',
      },
    },
    {
      name: 'satisfaction',
      uid: 'record_satisfaction_answer',
      objectTypes: ['CONTACT'],
      inputs: [
        {
          definition: { name: 'score', type: 'number', fieldType: 'number' },
          label: 'Score',
          description: 'NPS 0-10 or CSAT 1-5; map it from a survey property or set it.',
          required: true,
          fromProperty: true,
        },
        {
          definition: select('kind', [
            { value: 'nps', label: 'NPS (0-10)' },
            { value: 'csat', label: 'CSAT (1-5)' },
          ]),
          label: 'Survey kind',
          description: 'Which scale the score is on.',
          required: true,
        },
      ],
      outputs: stageOutputs('stage', 'Lifecycle stage'),
      labels: {
        actionName: 'Record NPS / CSAT answer',
        actionDescription: 'Feeds a survey answer to the lifecycle (promoters can move customers to Expand) and to account health.',
        actionCardContent: 'Record {{kind}} score {{score}}',
      },
    },
  ];
}

export interface GeneratedAction {
  name: WorkflowAction;
  hsmeta: WorkflowActionHsmeta;
}

/** Every action can be refused by the model; the reason is an output so a workflow can branch or log it. */
const REFUSAL_OUTPUT = { definition: text('refusal'), label: 'Refusal reason' };

/** The action definitions; nothing in them depends on a model (options and stage outputs come from each portal's published one). */
export function workflowActions(config: AppConfig): GeneratedAction[] {
  return specs()
    .map((spec) => ({
      ...spec,
      inputs: spec.inputs.map((input) => ({ ...input, definition: typeof input.definition === 'function' ? input.definition(config) : input.definition })),
      outputs: [...spec.outputs, REFUSAL_OUTPUT],
    }))
    .map((spec) => ({
      name: spec.name,
      hsmeta: {
        uid: spec.uid,
        type: 'workflow-action',
        config: {
          actionUrl: `${config.backendUrl}${workflowActionPath(spec.name)}`,
          isPublished: config.workflowActions.published,
          supportedClients: [{ client: 'WORKFLOWS' }],
          objectTypes: spec.objectTypes,
          inputFields: spec.inputs.map((input) => ({
            typeDefinition: input.definition,
            supportedValueTypes: input.fromProperty ? ['STATIC_VALUE', 'OBJECT_PROPERTY'] : ['STATIC_VALUE'],
            isRequired: input.required,
          })),
          outputFields: spec.outputs.map((output) => ({ typeDefinition: output.definition })),
          labels: {
            en: {
              ...spec.labels,
              // Always present, empty for an action without inputs (issue 14): HubSpot's editor reads both maps.
              inputFieldLabels: Object.fromEntries(spec.inputs.map((i) => [i.definition.name, i.label])),
              inputFieldDescriptions: Object.fromEntries(spec.inputs.map((i) => [i.definition.name, i.description])),
              outputFieldLabels: Object.fromEntries(spec.outputs.map((o) => [o.definition.name, o.label])),
            },
          },
        },
      },
    }));
}
