import { z } from 'zod';
import { DAY_MS } from '../../core/engine/time';

/** Reports cover the objects that have a lifecycle funnel of their own; deals are evidence, not funnel members. */
export const ReportObjectTypeSchema = z.enum(['contact', 'company']);
export type ReportObjectType = z.infer<typeof ReportObjectTypeSchema>;

const PortalIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, { message: 'must be a HubSpot portal id (a positive whole number)' })
  .transform(Number);

// Built once, not per bound parsed.
const IsoDateSchema = z.iso.date();
const IsoDateTimeSchema = z.iso.datetime({ offset: true });

const DATE_HINT = 'must be a date (YYYY-MM-DD) or an ISO date-time with a zone (2026-01-31T18:00:00Z)';

/**
 * A period bound as typed by a person: a calendar day (read in UTC) or an exact instant. `wholeDayEnd` makes a
 * day name its END, so `--to 2026-01-31` includes all of January 31 (the period is [start, end)).
 */
function periodBound(wholeDayEnd: boolean) {
  return z.string().transform((text, ctx) => {
    if (IsoDateSchema.safeParse(text).success) {
      const midnight = Date.parse(`${text}T00:00:00Z`);
      return wholeDayEnd ? midnight + DAY_MS : midnight;
    }
    if (IsoDateTimeSchema.safeParse(text).success) return Date.parse(text);
    ctx.addIssue({ code: 'custom', message: `"${text}" ${DATE_HINT}` });
    return z.NEVER;
  });
}

/**
 * One report request as it arrives from a query string or the command line (all strings). Strict: an unknown
 * parameter is a typo the caller should hear about, not something to ignore.
 */
export const ReportRequestSchema = z.strictObject({
  portalId: PortalIdSchema,
  from: periodBound(false).optional(),
  to: periodBound(true).optional(),
  objectType: ReportObjectTypeSchema.default('contact'),
  /** Only the records this HubSpot owner (hubspot_owner_id) holds now. */
  ownerId: z
    .string()
    .regex(/^[1-9]\d{0,18}$/, { message: 'must be a HubSpot owner id (a positive whole number)' })
    .optional(),
});
export type ReportRequest = z.output<typeof ReportRequestSchema>;
