import { z } from 'zod';
import { EventTypeSchema } from '../model/criteria-schema';

/** One observed activity on (or around) a record, as plain data. Times are epoch milliseconds. */
export const FactEventSchema = z.strictObject({
  type: EventTypeSchema,
  at: z.number().int(),
  /** Source id (HubSpot engagement, deal or submission id) so the same event is recognised on every read. */
  id: z.string().optional(),
  /** Event attributes rules can test, e.g. formKind, dealType, dealId, reason, score. */
  attrs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type FactEvent = z.infer<typeof FactEventSchema>;

/**
 * What the engine knows about a record: current property values (HubSpot-shaped strings, but no HubSpot types),
 * when those values last changed where known, and the activity events. Built by the shell from HubSpot reads.
 */
export const FactsSchema = z.strictObject({
  properties: z.record(z.string(), z.string().nullable()),
  propertyChangedAt: z.record(z.string(), z.number()).optional(),
  /**
   * For values HubSpot gives no change time for (absent from propertyChangedAt): when we first observed them, where we
   * know it (the store keeps it: the replay's facts). Rules date them then instead of at observedAt, except who the
   * contact is when it enters (entry and dead-end rules, datedAtCreation): that is dated by its creation, as a decision
   * that read the value undated did.
   */
  propertyObservedAt: z.record(z.string(), z.number()).optional(),
  events: z.array(FactEventSchema),
  /** When the record was created in HubSpot; the earliest time a transition can be dated. */
  createdAt: z.number().nullable().optional(),
  /** When these facts were read; property-based transitions without a change time are dated here. */
  observedAt: z.number().optional(),
});
export type Facts = z.infer<typeof FactsSchema>;
