import { z } from 'zod';
import { UidSchema } from './uid';

export const WEBHOOK_OBJECT_TYPES = ['contact', 'company', 'deal'] as const;
const ObjectTypeSchema = z.enum(WEBHOOK_OBJECT_TYPES);

/** Generic (2025.2+) CRM object subscriptions; property changes name exactly one property (no wildcard). */
const CrmObjectSubscriptionSchema = z.discriminatedUnion('subscriptionType', [
  z.strictObject({
    subscriptionType: z.enum(['object.creation', 'object.deletion', 'object.merge', 'object.associationChange']),
    objectType: ObjectTypeSchema,
    active: z.boolean(),
  }),
  z.strictObject({
    subscriptionType: z.literal('object.propertyChange'),
    objectType: ObjectTypeSchema,
    propertyName: z.string().min(1),
    active: z.boolean(),
  }),
]);
export type CrmObjectSubscription = z.infer<typeof CrmObjectSubscriptionSchema>;

const HubEventSubscriptionSchema = z.strictObject({
  subscriptionType: z.literal('contact.privacyDeletion'),
  active: z.boolean(),
});

/** `components/webhooks` template (2026.03). */
export const WebhooksHsmetaSchema = z.strictObject({
  uid: UidSchema,
  type: z.literal('webhooks'),
  config: z.strictObject({
    settings: z.strictObject({
      targetUrl: z.url({ protocol: /^https$/ }),
      maxConcurrentRequests: z.number().int().min(1),
    }),
    subscriptions: z.strictObject({
      crmObjects: z.array(CrmObjectSubscriptionSchema),
      legacyCrmObjects: z.array(z.never()).optional(),
      hubEvents: z.array(HubEventSubscriptionSchema),
    }),
  }),
});
export type WebhooksHsmeta = z.infer<typeof WebhooksHsmetaSchema>;
