import { z } from 'zod';

/**
 * The webhooks component of a 2025.2+/2026.03 project (`app/webhooks/webhooks-hsmeta.json`, docs/hubspot-platform.md §3.1).
 * Accepts the whole hsmeta document or just its `config`. Loose where HubSpot is loose (unknown keys pass).
 */
const crmObjectSubscription = z.looseObject({
  subscriptionType: z.enum(['object.creation', 'object.propertyChange', 'object.deletion', 'object.merge', 'object.restore', 'object.associationChange']),
  objectType: z.string().min(1),
  propertyName: z.string().min(1).optional(),
  active: z.boolean().default(true),
});

const legacySubscription = z.looseObject({
  subscriptionType: z.string().regex(/^(contact|company|deal)\.(creation|propertyChange|deletion|merge|associationChange)$/, 'legacy subscription types look like contact.propertyChange'),
  propertyName: z.string().min(1).optional(),
  active: z.boolean().default(true),
});

const hubEventSubscription = z.looseObject({
  subscriptionType: z.literal('contact.privacyDeletion'),
  active: z.boolean().default(true),
});

export const webhooksConfigSchema = z
  .looseObject({
    settings: z.looseObject({
      targetUrl: z.url(),
      maxConcurrentRequests: z.number().int().min(1).default(10),
    }),
    subscriptions: z
      .looseObject({
        crmObjects: z.array(crmObjectSubscription).default([]),
        legacyCrmObjects: z.array(legacySubscription).default([]),
        hubEvents: z.array(hubEventSubscription).default([]),
      })
      .default({ crmObjects: [], legacyCrmObjects: [], hubEvents: [] }),
  })
  .superRefine((config, ctx) => {
    config.subscriptions.crmObjects.forEach((s, i) => {
      if (s.subscriptionType === 'object.propertyChange' && !s.propertyName) {
        ctx.addIssue({ code: 'custom', path: ['subscriptions', 'crmObjects', i, 'propertyName'], message: 'object.propertyChange needs a propertyName (one subscription per property)' });
      }
    });
  });

export type WebhooksConfigInput = z.input<typeof webhooksConfigSchema>;
export type WebhooksConfig = z.output<typeof webhooksConfigSchema>;

/** Unwraps `{ uid, type: "webhooks", config }` documents. */
export function parseWebhooksConfig(input: unknown): WebhooksConfig {
  const candidate = typeof input === 'object' && input !== null && 'config' in input ? input.config : input;
  return webhooksConfigSchema.parse(candidate);
}
