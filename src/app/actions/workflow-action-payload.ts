import { z } from 'zod';

/**
 * What HubSpot POSTs to a custom workflow action's actionUrl (docs/hubspot-platform.md §4.2). Loose on purpose:
 * HubSpot adds fields over time (typedInputs appeared in newer captures), and an unknown field must not fail a
 * workflow. Only what we use is required; ids arrive as numbers in captures, strings are accepted too.
 */
const NumericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform((id) => String(id));

export const WorkflowActionPayloadSchema = z.looseObject({
  callbackId: z.string().min(1),
  origin: z.looseObject({ portalId: NumericId.transform(Number) }),
  object: z.looseObject({
    objectId: NumericId,
    objectType: z
      .string()
      .min(1)
      .transform((t) => t.toUpperCase()),
  }),
  inputFields: z.record(z.string(), z.unknown()).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  typedInputs: z.record(z.string(), z.looseObject({ value: z.unknown() })).optional(),
});
export type WorkflowActionPayload = z.output<typeof WorkflowActionPayloadSchema>;

/** The action's inputs: `inputFields`, else the older `fields`, else the values of `typedInputs`. */
export function actionInputs(payload: WorkflowActionPayload): Record<string, unknown> {
  if (payload.inputFields) return payload.inputFields;
  if (payload.fields) return payload.fields;
  return Object.fromEntries(Object.entries(payload.typedInputs ?? {}).map(([name, typed]) => [name, typed.value]));
}
