import { z } from 'zod';
import { validationError } from '../domain/simulated-api-error';

/**
 * Lists API v3 filter definitions, as HubSpot documents them
 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/lists/list-filters.md, and the request models of
 * `@hubspot/api-client` crm.lists: PublicPropertyFilter, PublicTimePointOperation, PublicIndexedTimePoint, …).
 * Loose objects: HubSpot echoes fields we do not read (propertyParser, timezoneSource, …), so we keep them.
 * The simulator evaluates the subset below; any other filter or operation is refused with a 400 naming it, so a
 * product change that needs more fails loudly here instead of silently matching nothing.
 */
const IndexReference = z.looseObject({
  referenceType: z.enum(['TODAY', 'NOW']),
  hour: z.number().int().optional(),
  minute: z.number().int().optional(),
  second: z.number().int().optional(),
  millisecond: z.number().int().optional(),
});
const Offset = z.looseObject({
  milliseconds: z.number().optional(),
  seconds: z.number().optional(),
  minutes: z.number().optional(),
  hours: z.number().optional(),
  days: z.number().optional(),
  weeks: z.number().optional(),
  months: z.number().optional(),
  years: z.number().optional(),
});
const TimePoint = z.discriminatedUnion('timeType', [
  z.looseObject({ timeType: z.literal('INDEXED'), zoneId: z.string().default('UTC'), indexReference: IndexReference, offset: Offset.optional() }),
  z.looseObject({
    timeType: z.literal('DATE'),
    zoneId: z.string().default('UTC'),
    year: z.number().int(),
    month: z.number().int(),
    day: z.number().int(),
    hour: z.number().int().optional(),
    minute: z.number().int().optional(),
    second: z.number().int().optional(),
    millisecond: z.number().int().optional(),
  }),
]);
export type ListTimePoint = z.infer<typeof TimePoint>;

const Operation = z.discriminatedUnion('operationType', [
  z.looseObject({ operationType: z.literal('ALL_PROPERTY'), operator: z.enum(['IS_KNOWN', 'IS_UNKNOWN']), includeObjectsWithNoValueSet: z.boolean().default(false) }),
  z.looseObject({
    operationType: z.literal('ENUMERATION'),
    operator: z.enum(['IS_ANY_OF', 'IS_NONE_OF']),
    values: z.array(z.string()),
    includeObjectsWithNoValueSet: z.boolean().default(false),
  }),
  z.looseObject({
    operationType: z.literal('MULTISTRING'),
    operator: z.enum(['IS_EQUAL_TO', 'IS_NOT_EQUAL_TO', 'CONTAINS', 'DOES_NOT_CONTAIN']),
    values: z.array(z.string()),
    includeObjectsWithNoValueSet: z.boolean().default(false),
  }),
  z.looseObject({
    operationType: z.literal('STRING'),
    operator: z.enum(['IS_EQUAL_TO', 'IS_NOT_EQUAL_TO', 'CONTAINS', 'DOES_NOT_CONTAIN']),
    value: z.string(),
    includeObjectsWithNoValueSet: z.boolean().default(false),
  }),
  z.looseObject({ operationType: z.literal('BOOL'), operator: z.enum(['IS_EQUAL_TO', 'IS_NOT_EQUAL_TO']), value: z.boolean(), includeObjectsWithNoValueSet: z.boolean().default(false) }),
  z.looseObject({
    operationType: z.literal('TIME_POINT'),
    operator: z.enum(['IS_AFTER', 'IS_BEFORE']),
    timePoint: TimePoint,
    endpointBehavior: z.enum(['EXCLUSIVE', 'INCLUSIVE']).default('EXCLUSIVE'),
    includeObjectsWithNoValueSet: z.boolean().default(false),
  }),
]);
type PropertyOperation = z.infer<typeof Operation>;

const PropertyFilter = z.looseObject({ filterType: z.literal('PROPERTY'), property: z.string().min(1), operation: Operation });
const InListFilter = z.looseObject({ filterType: z.literal('IN_LIST'), listId: z.string().min(1), operator: z.enum(['IN_LIST', 'NOT_IN_LIST']) });
const Filter = z.discriminatedUnion('filterType', [PropertyFilter, InListFilter]);
export type ListFilter = z.infer<typeof Filter>;

export interface FilterBranch {
  filterBranchType: 'OR' | 'AND';
  filterBranchOperator?: string;
  filters: ListFilter[];
  filterBranches: FilterBranch[];
  [extra: string]: unknown;
}

const Branch: z.ZodType<FilterBranch> = z.lazy(() =>
  z.looseObject({
    filterBranchType: z.enum(['OR', 'AND']),
    filterBranchOperator: z.string().optional(),
    filters: z.array(Filter).default([]),
    filterBranches: z.array(Branch).default([]),
  }),
);

/**
 * HubSpot's rule for list definitions: the root is an OR branch whose children are AND branches (the list-filters
 * page: "all filter definitions must start with a root OR filter branch … and one or more AND filter branches").
 */
export function parseFilterBranch(input: unknown): FilterBranch {
  const parsed = Branch.safeParse(input);
  if (!parsed.success)
    throw validationError(
      `Invalid filterBranch (the simulator evaluates PROPERTY and IN_LIST filters with ALL_PROPERTY, ENUMERATION, MULTISTRING, STRING, BOOL and TIME_POINT operations): ${z.prettifyError(parsed.error)}`,
    );
  const root = parsed.data;
  if (root.filterBranchType !== 'OR' || root.filters.length > 0) throw validationError('The root filterBranch must be of type OR and hold no filters of its own');
  if (root.filterBranches.some((b) => b.filterBranchType !== 'AND')) throw validationError('The branches under the root OR branch must be of type AND');
  return echoOperators(root);
}

/** HubSpot answers each branch with `filterBranchOperator` equal to its type (see the create-list response). */
function echoOperators(branch: FilterBranch): FilterBranch {
  return { ...branch, filterBranchOperator: branch.filterBranchType, filterBranches: branch.filterBranches.map(echoOperators) };
}

export interface MembershipContext {
  /** The record's current property values. */
  value(property: string): string | undefined;
  /** Is the record a member of that list right now? (IN_LIST filters.) */
  inList(listId: string): boolean;
  now: number;
}

export function matchesBranch(branch: FilterBranch, context: MembershipContext): boolean {
  const results = [...branch.filters.map((f) => matchesFilter(f, context)), ...branch.filterBranches.map((b) => matchesBranch(b, context))];
  if (results.length === 0) return false;
  return branch.filterBranchType === 'AND' ? results.every(Boolean) : results.some(Boolean);
}

function matchesFilter(filter: ListFilter, context: MembershipContext): boolean {
  if (filter.filterType === 'IN_LIST') return context.inList(filter.listId) === (filter.operator === 'IN_LIST');
  const raw = context.value(filter.property);
  const value = raw === undefined || raw === '' ? undefined : raw;
  return matchesOperation(filter.operation, value, context.now);
}

function matchesOperation(operation: PropertyOperation, value: string | undefined, now: number): boolean {
  if (operation.operationType === 'ALL_PROPERTY') return (value !== undefined) === (operation.operator === 'IS_KNOWN');
  if (value === undefined) return operation.includeObjectsWithNoValueSet;
  switch (operation.operationType) {
    case 'ENUMERATION': {
      const chosen = value.split(';');
      const any = operation.values.some((v) => chosen.includes(v));
      return operation.operator === 'IS_ANY_OF' ? any : !any;
    }
    case 'MULTISTRING':
      return operation.values.some((v) => compareString(operation.operator, value, v)) !== operation.operator.includes('NOT');
    case 'STRING':
      return compareString(operation.operator, value, operation.value) !== operation.operator.includes('NOT');
    case 'BOOL':
      return (value === String(operation.value)) === (operation.operator === 'IS_EQUAL_TO');
    case 'TIME_POINT': {
      const at = parseTimestamp(value);
      if (at === null) return false;
      const point = resolveTimePoint(operation.timePoint, now);
      const inclusive = operation.endpointBehavior === 'INCLUSIVE';
      if (operation.operator === 'IS_AFTER') return inclusive ? at >= point : at > point;
      return inclusive ? at <= point : at < point;
    }
  }
}

/** The positive form of the comparison (IS_NOT_EQUAL_TO and DOES_NOT_CONTAIN are negated by the caller). */
function compareString(operator: string, value: string, wanted: string): boolean {
  const a = value.toLowerCase();
  const b = wanted.toLowerCase();
  return operator.endsWith('CONTAIN') || operator === 'CONTAINS' ? a.includes(b) : a === b;
}

/** Datetime values arrive as epoch ms or ISO-8601 (both are accepted by HubSpot's properties API). */
export function parseTimestamp(value: string): number | null {
  const at = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(at) ? at : null;
}

/**
 * An INDEXED point is NOW, or TODAY's start (plus the reference's hour/minute/…), shifted by the offset. Only the
 * UTC zone is simulated; other zoneIds are read as UTC (documented in docs/simulator.md).
 */
export function resolveTimePoint(point: ListTimePoint, now: number): number {
  if (point.timeType === 'DATE') {
    return Date.UTC(point.year, point.month - 1, point.day, point.hour ?? 0, point.minute ?? 0, point.second ?? 0, point.millisecond ?? 0);
  }
  const ref = point.indexReference;
  const base = new Date(now);
  if (ref.referenceType === 'TODAY') {
    base.setUTCHours(ref.hour ?? 0, ref.minute ?? 0, ref.second ?? 0, ref.millisecond ?? 0);
  }
  const o = point.offset ?? {};
  if (o.years) base.setUTCFullYear(base.getUTCFullYear() + o.years);
  if (o.months) base.setUTCMonth(base.getUTCMonth() + o.months);
  const ms = (o.weeks ?? 0) * 7 * 86_400_000 + (o.days ?? 0) * 86_400_000 + (o.hours ?? 0) * 3_600_000 + (o.minutes ?? 0) * 60_000 + (o.seconds ?? 0) * 1_000 + (o.milliseconds ?? 0);
  return base.getTime() + ms;
}
