import { z } from 'zod';
import { UidSchema } from './uid';

/** HubSpot's field name rule for action inputs/outputs: they are referenced as {{name}} in actionCardContent. */
const FieldNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case');

const OptionSchema = z.strictObject({ value: z.string().min(1), label: z.string().min(1) });

const TypeDefinitionSchema = z.discriminatedUnion('type', [
  z.strictObject({ name: FieldNameSchema, type: z.literal('string'), fieldType: z.enum(['text', 'textarea']) }),
  z.strictObject({ name: FieldNameSchema, type: z.literal('number'), fieldType: z.literal('number') }),
  z.strictObject({ name: FieldNameSchema, type: z.literal('datetime'), fieldType: z.literal('date') }),
  z.strictObject({
    name: FieldNameSchema,
    type: z.literal('enumeration'),
    fieldType: z.enum(['select', 'radio']),
    options: z.array(OptionSchema).min(1),
  }),
]);
export type ActionTypeDefinition = z.infer<typeof TypeDefinitionSchema>;

/**
 * A select input whose options HubSpot's workflow editor fetches from the app ("fetch external data fields",
 * https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/custom-action-reference#using-external-data).
 */
const ExternalOptionsTypeDefinitionSchema = z.strictObject({
  name: FieldNameSchema,
  type: z.literal('enumeration'),
  fieldType: z.literal('select'),
  optionsUrl: z.url({ protocol: /^https$/ }),
});
export type ExternalOptionsTypeDefinition = z.infer<typeof ExternalOptionsTypeDefinitionSchema>;

const InputFieldSchema = z.strictObject({
  typeDefinition: z.union([ExternalOptionsTypeDefinitionSchema, TypeDefinitionSchema]),
  supportedValueTypes: z.array(z.enum(['STATIC_VALUE', 'OBJECT_PROPERTY'])).min(1),
  isRequired: z.boolean(),
});

const OutputFieldSchema = z.strictObject({ typeDefinition: TypeDefinitionSchema });

const LabelsSchema = z.strictObject({
  actionName: z.string().min(1),
  actionDescription: z.string().min(1),
  actionCardContent: z.string().min(1),
  inputFieldLabels: z.record(FieldNameSchema, z.string().min(1)).optional(),
  inputFieldDescriptions: z.record(FieldNameSchema, z.string().min(1)).optional(),
  outputFieldLabels: z.record(FieldNameSchema, z.string().min(1)).optional(),
});

/** `components/workflow-actions` template (2026.03) plus outputFields from the custom-workflow-actions docs. */
export const WorkflowActionHsmetaSchema = z
  .strictObject({
    uid: UidSchema,
    type: z.literal('workflow-action'),
    config: z.strictObject({
      actionUrl: z.url({ protocol: /^https$/ }),
      isPublished: z.boolean(),
      supportedClients: z.array(z.strictObject({ client: z.literal('WORKFLOWS') })).min(1),
      objectTypes: z.array(z.enum(['CONTACT', 'COMPANY', 'DEAL'])).min(1),
      inputFields: z.array(InputFieldSchema),
      outputFields: z.array(OutputFieldSchema),
      labels: z.strictObject({ en: LabelsSchema }),
    }),
  })
  .superRefine(({ config }, ctx) => {
    // Every label must name a declared field, or HubSpot shows the raw name in the workflow editor.
    const check = (labels: Record<string, string> | undefined, fields: { typeDefinition: { name: string } }[], key: string) => {
      const names = new Set(fields.map((f) => f.typeDefinition.name));
      for (const name of Object.keys(labels ?? {})) {
        if (!names.has(name)) ctx.addIssue({ code: 'custom', path: ['config', 'labels', 'en', key, name], message: `no field named "${name}"` });
      }
    };
    check(config.labels.en.inputFieldLabels, config.inputFields, 'inputFieldLabels');
    check(config.labels.en.inputFieldDescriptions, config.inputFields, 'inputFieldDescriptions');
    check(config.labels.en.outputFieldLabels, config.outputFields, 'outputFieldLabels');
  });
export type WorkflowActionHsmeta = z.infer<typeof WorkflowActionHsmetaSchema>;
