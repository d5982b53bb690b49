import { z } from 'zod';
import { UidSchema } from './uid';

/**
 * The app's settings page (2026.03, one per app, in the `settings/` folder; project-parsing-lib SETTINGS_KEY):
 * `{ uid, type: "settings", config: { name, description, entrypoint } }`, the entrypoint under /app/settings/
 * (https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensions/extension-points/create-a-settings-page.md).
 */
export const SettingsHsmetaSchema = z.strictObject({
  uid: UidSchema,
  type: z.literal('settings'),
  config: z.strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    entrypoint: z.string().regex(/^\/app\/settings\/[A-Za-z0-9_-]+\.(tsx|jsx)$/, 'an /app/settings/<Name>.tsx path'),
  }),
});
export type SettingsHsmeta = z.infer<typeof SettingsHsmetaSchema>;
