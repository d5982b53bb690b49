import { z } from 'zod';
import { booleanParam, listParam } from '../parse-input';
import { FILTER_OPERATORS, SEARCH_LIMITS } from '../../domain/search';

/** Request shapes of the CRM objects API (v3 and 2026-03). Loose objects: HubSpot ignores fields it does not know. */
const id = z.union([z.string().min(1), z.number().int()]).transform(String);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const MAX_BATCH_INPUTS = 100;

const propertyValues = z.record(z.string(), scalar);

const associationInput = z.looseObject({
  to: z.looseObject({ id }),
  types: z.array(z.looseObject({ associationCategory: z.string().default('HUBSPOT_DEFINED'), associationTypeId: z.number().int() })).min(1),
});

export const createBody = z.looseObject({
  properties: propertyValues.default({}),
  associations: z.array(associationInput).default([]),
});

export const updateBody = z.looseObject({ properties: propertyValues });

export const readQuery = z.looseObject({
  properties: listParam,
  propertiesWithHistory: listParam,
  associations: listParam,
  archived: booleanParam,
  idProperty: z.string().optional(),
});

export const listQuery = readQuery.extend({
  limit: z.coerce.number().int().min(1, 'limit must be at least 1').max(100, 'limit must be 100 or less').default(10),
  after: z.string().regex(/^\d+$/, 'after must be a paging cursor returned by a previous page').optional(),
});

const inputs = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_BATCH_INPUTS, `Batch size exceeds the maximum of ${MAX_BATCH_INPUTS} inputs`);

/** HubSpot's own cap when history is requested (its error text, as reported by API users; not in the docs). */
export const MAX_HISTORY_BATCH_INPUTS = 50;

export const batchReadBody = z
  .looseObject({
    inputs: inputs(z.looseObject({ id })),
    properties: z.array(z.string()).default([]),
    propertiesWithHistory: z.array(z.string()).default([]),
    idProperty: z.string().optional(),
  })
  .refine((body) => body.propertiesWithHistory.length === 0 || body.inputs.length <= MAX_HISTORY_BATCH_INPUTS, {
    message: `The maximum number of inputs supported in a batch request for property histories is ${MAX_HISTORY_BATCH_INPUTS}. Please reduce the number of items and try again`,
    path: ['inputs'],
  });

export const batchCreateBody = z.looseObject({ inputs: inputs(createBody) });

export const batchUpdateBody = z.looseObject({
  inputs: inputs(z.looseObject({ id, properties: propertyValues, idProperty: z.string().optional() })),
});

export const batchArchiveBody = z.looseObject({ inputs: inputs(z.looseObject({ id })) });

const filterValue = z.union([z.string(), z.number(), z.boolean()]);
const filter = z.looseObject({
  propertyName: z.string().min(1),
  operator: z.enum(FILTER_OPERATORS),
  value: filterValue.optional(),
  highValue: filterValue.optional(),
  values: z.array(filterValue).optional(),
});

const sort = z.union([
  z.string().transform((s) => (s.startsWith('-') ? { propertyName: s.slice(1), direction: 'DESCENDING' as const } : { propertyName: s, direction: 'ASCENDING' as const })),
  z.looseObject({ propertyName: z.string().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
]);

export const searchBody = z.looseObject({
  filterGroups: z.array(z.looseObject({ filters: z.array(filter) })).default([]),
  sorts: z.array(sort).default([]),
  properties: z.array(z.string()).default([]),
  limit: z.number().int().min(0).max(SEARCH_LIMITS.pageSize, `limit must be ${SEARCH_LIMITS.pageSize} or less`).default(10),
  after: z
    .union([z.string().regex(/^\d+$/, 'after must be a paging cursor'), z.number().int().nonnegative()])
    .transform(Number)
    .default(0),
  query: z.string().optional(),
});

export const mergeBody = z.looseObject({ primaryObjectId: id, objectIdToMerge: id });
export const gdprDeleteBody = z.looseObject({ objectId: id, idProperty: z.string().optional() });
