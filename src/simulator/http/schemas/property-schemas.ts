import { z } from 'zod';
import { PROPERTY_TYPES } from '../../domain/property-types';

/** Request shapes of the Properties API (crm/v3/properties). */
const option = z.looseObject({
  label: z.string().min(1),
  value: z.string().min(1),
  displayOrder: z.number().int().default(-1),
  hidden: z.boolean().default(false),
  description: z.string().optional(),
});

const options = z
  .array(option)
  .refine((list) => new Set(list.map((o) => o.value)).size === list.length, 'enumeration option values must be unique')
  .transform((list) => list.map((o, i) => ({ ...o, displayOrder: o.displayOrder === -1 ? i : o.displayOrder })));

export const propertyCreateBody = z
  .looseObject({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'property names are lower-case letters, digits and underscores, starting with a letter'),
    label: z.string().min(1),
    type: z.enum(PROPERTY_TYPES),
    fieldType: z.string().min(1),
    groupName: z.string().min(1),
    description: z.string().default(''),
    options: options.default([]),
    displayOrder: z.number().int().default(-1),
    hasUniqueValue: z.boolean().default(false),
    hidden: z.boolean().default(false),
    formField: z.boolean().default(false),
    externalOptions: z.boolean().default(false),
  })
  .refine((p) => p.type !== 'enumeration' || p.externalOptions || p.options.length > 0, { message: 'enumeration properties need at least one option', path: ['options'] });

export const propertyUpdateBody = z.looseObject({
  label: z.string().min(1).optional(),
  type: z.enum(PROPERTY_TYPES).optional(),
  fieldType: z.string().min(1).optional(),
  groupName: z.string().min(1).optional(),
  description: z.string().optional(),
  options: options.optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
});

export const groupCreateBody = z.looseObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'group names are lower-case letters, digits and underscores'),
  label: z.string().min(1),
  displayOrder: z.number().int().default(-1),
});

export const groupUpdateBody = z.looseObject({ label: z.string().min(1).optional(), displayOrder: z.number().int().optional() });

export const propertyBatchCreateBody = z.looseObject({ inputs: z.array(z.unknown()).max(100, 'Batch size exceeds the maximum of 100 inputs') });
export const propertyBatchNamesBody = z.looseObject({
  inputs: z.array(z.looseObject({ name: z.string().min(1) })).max(100, 'Batch size exceeds the maximum of 100 inputs'),
  archived: z.boolean().default(false),
});
