import { z } from 'zod';

/**
 * Objective transition criteria over facts. A criterion is data, so admins can read and change it in the
 * model file and the engine can explain which part of it was met.
 */

export const EVENT_TYPES = ['email_clicked', 'page_viewed', 'form_submitted', 'meeting_booked', 'deal_created', 'deal_won', 'deal_lost', 'nps_answered', 'customer_lost'] as const;
export const EventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventTypeSchema>;

export const PROPERTY_OPERATORS = ['equals', 'not_equals', 'in', 'not_in', 'exists', 'not_exists', 'gte', 'lte', 'contains', 'domain_in'] as const;
export const PropertyOperatorSchema = z.enum(PROPERTY_OPERATORS);

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const PropertyPredicateSchema = z.strictObject({
  property: z.string().min(1),
  op: PropertyOperatorSchema,
  /** For equals / not_equals / gte / lte / contains. */
  value: Scalar.optional(),
  /** For in / not_in / domain_in. */
  values: z.array(z.string()).min(1).optional(),
});
export type PropertyPredicate = z.infer<typeof PropertyPredicateSchema>;

/** A condition on one attribute of an event, e.g. `{ "formKind": "demo_request" }` or `{ "score": { "gte": 9 } }`. */
export const AttributeConditionSchema = z.union([Scalar, z.array(z.string()).min(1), z.strictObject({ gte: z.number().optional(), lte: z.number().optional() })]);
export type AttributeCondition = z.infer<typeof AttributeConditionSchema>;

export const EventPredicateSchema = z.strictObject({
  event: EventTypeSchema,
  /** How many matching events are needed (default 1). */
  atLeast: z.number().int().min(1).default(1),
  /** The events must fall inside a sliding window of this many days. */
  withinDays: z.number().positive().optional(),
  where: z.record(z.string(), AttributeConditionSchema).optional(),
  /**
   * `since_stage_entered` (default) counts only events at or after the record entered its current stage, so a
   * demo request from before a recycle cannot pull the record straight back; `ever` counts all history.
   */
  scope: z.enum(['since_stage_entered', 'ever']).default('since_stage_entered'),
});
export type EventPredicate = z.infer<typeof EventPredicateSchema>;

export const ScorePredicateSchema = z.strictObject({
  score: z.strictObject({
    /** HubSpot's score property; Pro portals cap scores at 100, so the threshold is data. */
    property: z.string().min(1).default('hubspotscore'),
    gte: z.number(),
  }),
});
export type ScorePredicate = z.infer<typeof ScorePredicateSchema>;

/** True once the record has sat in its current stage this many days (stalled records, SLA-driven rules). */
export const StageAgePredicateSchema = z.strictObject({
  inStageForDays: z.number().positive(),
});
export type StageAgePredicate = z.infer<typeof StageAgePredicateSchema>;

export type Criterion = PropertyPredicate | EventPredicate | ScorePredicate | StageAgePredicate | { all: Criterion[] } | { any: Criterion[] } | { not: Criterion };

const CRITERION_SHAPES: ReadonlyArray<[string, () => z.ZodType]> = [
  ['all', () => z.strictObject({ all: z.array(CriterionSchema).min(1) })],
  ['any', () => z.strictObject({ any: z.array(CriterionSchema).min(1) })],
  ['not', () => z.strictObject({ not: CriterionSchema })],
  ['property', () => PropertyPredicateSchema],
  ['event', () => EventPredicateSchema],
  ['score', () => ScorePredicateSchema],
  ['inStageForDays', () => StageAgePredicateSchema],
];

/**
 * Dispatches on the distinguishing key instead of a plain union, so a mistake deep inside a criterion is reported
 * at its own path ("...when.all[1].atLeast: Too small") rather than as one opaque "invalid union".
 */
export const CriterionSchema: z.ZodType<Criterion, unknown> = z.lazy(() =>
  z.unknown().transform((value, ctx): Criterion => {
    const shape = typeof value === 'object' && value !== null && !Array.isArray(value) ? CRITERION_SHAPES.find(([key]) => key in value) : undefined;
    if (!shape) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a criterion object with one of: ${CRITERION_SHAPES.map(([k]) => k).join(', ')}`,
      });
      return z.NEVER;
    }
    const parsed = shape[1]().safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
      return z.NEVER;
    }
    return parsed.data as Criterion;
  }),
);
