import { z } from 'zod';
import { UidSchema } from './uid';

const ScopeSchema = z.string().regex(/^[a-z][a-z0-9_.-]*$/, 'a HubSpot scope name such as crm.objects.contacts.read');

const ScopeListsShape = {
  requiredScopes: z.array(ScopeSchema).min(1),
  optionalScopes: z.array(ScopeSchema),
  conditionallyRequiredScopes: z.array(ScopeSchema),
};

/** `components/app/static-private` and `oauth-marketplace` templates of HubSpot/hubspot-project-components 2026.03. */
export const AppHsmetaSchema = z.strictObject({
  uid: UidSchema,
  type: z.literal('app'),
  config: z.strictObject({
    name: z.string().min(1),
    description: z.string().min(1),
    distribution: z.enum(['private', 'marketplace']),
    auth: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('static'), ...ScopeListsShape }),
      z.strictObject({ type: z.literal('oauth'), redirectUrls: z.array(z.url()).min(1), ...ScopeListsShape }),
    ]),
    permittedUrls: z.strictObject({
      fetch: z.array(z.url({ protocol: /^https$/ })),
      iframe: z.array(z.url()),
      img: z.array(z.url()),
    }),
    support: z.strictObject({
      supportEmail: z.email(),
      documentationUrl: z.url().optional(),
      supportUrl: z.url().optional(),
      supportPhone: z.string().optional(),
    }),
  }),
});
export type AppHsmeta = z.infer<typeof AppHsmetaSchema>;
