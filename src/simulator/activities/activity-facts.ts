import { z } from 'zod';

const at = z
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()])
  .optional()
  .describe('when it happened (default: the simulator clock)');
const contact = { contactId: z.string().regex(/^\d+$/, 'contactId must be a numeric record id'), at };

/**
 * The activity facts that drive lifecycle decisions, as the control API accepts them
 * (in-process `control.recordActivity` and POST /_simulator/portals/:portalId/activities).
 */
export const activityFactSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('email_click'), ...contact, emailName: z.string().optional() }),
  z.strictObject({ kind: z.literal('page_view'), ...contact, url: z.string().min(1) }),
  z.strictObject({ kind: z.literal('form_submission'), ...contact, formKind: z.string().min(1), formName: z.string().optional() }),
  z.strictObject({ kind: z.literal('meeting_booked'), ...contact, title: z.string().optional() }),
  z.strictObject({
    kind: z.literal('deal_created'),
    ...contact,
    dealname: z.string().default('Simulated deal'),
    amount: z.number().nonnegative().optional(),
    dealstage: z.string().default('appointmentscheduled'),
    /** HubSpot's deal type: newbusiness, existingbusiness, or a portal's own (e.g. upsell, renewal). */
    dealtype: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('deal_stage_changed'),
    dealId: z.string().regex(/^\d+$/, 'dealId must be a numeric record id'),
    dealstage: z.string().min(1),
    lostReason: z.string().optional(),
    at,
  }),
  z.strictObject({ kind: z.literal('nps_answer'), ...contact, rating: z.number().int().min(0).max(10), comment: z.string().optional() }),
]);

export type ActivityFactInput = z.input<typeof activityFactSchema>;
export type ActivityFact = z.output<typeof activityFactSchema>;
