import { z } from 'zod';
import type { CompiledModel } from '../../core';
import type { ActionWithOptions } from '../../contracts/backend-routes';

/**
 * HubSpot's "fetch external data fields" for custom workflow actions: an input field declared with an `optionsUrl`
 * gets its options from the app when an admin opens the action in the workflow editor. HubSpot POSTs (signed like
 * the action execution) `{ origin: { portalId, actionDefinitionId, actionDefinitionVersion }, inputFieldName,
 * inputFields, fetchOptions: { q, after } }` and reads `{ options: [{ label, value, description }], after,
 * searchable }`:
 * https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/custom-action-reference#using-external-data
 * (docs/simulator.md "Workflow action options"). Loose like the execution payload: only what we use is required.
 */
const NumericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(Number);

export const ActionOptionsRequestSchema = z.looseObject({
  origin: z.looseObject({ portalId: NumericId }),
  inputFieldName: z.string().min(1),
  inputFields: z.record(z.string(), z.unknown()).optional(),
  fetchOptions: z.looseObject({ q: z.string().optional(), after: z.string().optional() }).optional(),
});
export type ActionOptionsRequest = z.output<typeof ActionOptionsRequestSchema>;

export interface ActionOption {
  label: string;
  value: string;
  description?: string;
}
export interface ActionOptionsAnswer {
  options: ActionOption[];
  /** Every list fits in one answer (a model has tens of reasons or stages, not thousands), so there is no next page. */
  after?: string;
  /** The editor sends what the admin types as `fetchOptions.q`; we filter by it. */
  searchable: boolean;
}

/** Each select input of an action whose options come from the portal's published model, and how. */
const OPTION_SOURCES: Record<ActionWithOptions, Record<string, (model: CompiledModel) => ActionOption[]>> = {
  // One reason per code: Recycle A and B may share a code, and the engine picks the rule from the record's stage.
  recycle: { reason: (model) => model.recycleReasons.map((r) => ({ value: r.code, label: r.label })) },
  'dead-end': { reason: (model) => model.deadEnd.reasons.map((r) => ({ value: r.code, label: r.label })) },
  fastpass: { target_stage: (model) => model.pathStages.map((s) => ({ value: s.id, label: s.label })) },
};

/** The input fields of `action` that take their options from the model (the generator gives them an optionsUrl). */
export const modelOptionInputs = (action: ActionWithOptions): string[] => Object.keys(OPTION_SOURCES[action]);

/**
 * The options of one input of `action` under the portal's published model, filtered by what the admin typed
 * (case-insensitive, on label and value); null when the action has no such input.
 */
export function actionInputOptions(model: CompiledModel, action: ActionWithOptions, request: ActionOptionsRequest): ActionOptionsAnswer | null {
  const source = Object.hasOwn(OPTION_SOURCES[action], request.inputFieldName) ? OPTION_SOURCES[action][request.inputFieldName] : undefined;
  if (!source) return null;
  const query = request.fetchOptions?.q?.trim().toLowerCase() ?? '';
  const options = source(model).filter((o) => query === '' || o.label.toLowerCase().includes(query) || o.value.toLowerCase().includes(query));
  return { options, searchable: true };
}
