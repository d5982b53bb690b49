import { z } from 'zod';
import { UidSchema } from './uid';

/**
 * App pages (platform 2026.03): `{"uid", "type": "pages", "config": {"entrypoint": "/app/pages/<Name>.tsx"}}` in
 * <srcDir>/app/pages/ (shared/docs/hubspot-platform.md §6c; `pages` is a known component type of
 * @hubspot/project-parsing-lib 0.23, dir `pages`, one per app). The entry file registers with
 * `hubspot.extend<'pages'>` and routes with `createPageRouter`.
 */
export const PagesHsmetaSchema = z.strictObject({
  uid: UidSchema,
  type: z.literal('pages'),
  config: z.strictObject({
    entrypoint: z.string().regex(/^\/app\/pages\/[A-Za-z0-9_-]+\.(tsx|jsx)$/, 'an /app/pages/<Name>.tsx path'),
  }),
});
export type PagesHsmeta = z.infer<typeof PagesHsmetaSchema>;
