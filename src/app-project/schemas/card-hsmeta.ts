import { z } from 'zod';
import { UidSchema } from './uid';

/** `components/cards` template (2026.03): the entrypoint is relative to srcDir and must live under /app/cards/. */
export const CardHsmetaSchema = z.strictObject({
  uid: UidSchema,
  type: z.literal('card'),
  config: z.strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    location: z.enum(['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar']),
    entrypoint: z.string().regex(/^\/app\/cards\/[A-Za-z0-9_-]+\.(tsx|jsx)$/, 'an /app/cards/<Name>.tsx path'),
    objectTypes: z.array(z.enum(['contacts', 'companies', 'deals', 'tickets'])).min(1),
  }),
});
export type CardHsmeta = z.infer<typeof CardHsmetaSchema>;
