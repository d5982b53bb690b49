import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UidSchema } from './schemas/uid';

/** HubSpot only calls HTTPS backends; a path prefix is allowed (reverse proxies), a query or fragment is not. */
const BackendUrlSchema = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .refine((value) => {
    const url = new URL(value);
    return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  }, 'must have no query string, fragment or credentials')
  .transform((value) => value.replace(/\/+$/, ''));

const AuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('static') }),
  z.strictObject({
    type: z.literal('oauth'),
    /** Defaults to `<backendUrl>/oauth/callback`, where the backend completes the install. */
    redirectUrls: z
      .array(z.url({ protocol: /^https?$/ }))
      .min(1)
      .optional(),
  }),
]);

const SupportSchema = z.strictObject({
  supportEmail: z.email(),
  documentationUrl: z.url().optional(),
  supportUrl: z.url().optional(),
  supportPhone: z.string().min(1).optional(),
});

/**
 * app.json: the one file an operator edits for app-level settings. It lives outside HubSpot's srcDir, so the CLI
 * never reads it; `lifecycle app build` turns it (with the lifecycle model) into the *-hsmeta.json files.
 */
export const AppConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1).max(200),
    description: z.string().min(1),
    uid: UidSchema,
    backendUrl: BackendUrlSchema,
    distribution: z.enum(['private', 'marketplace']),
    auth: AuthSchema,
    support: SupportSchema,
    webhooks: z.strictObject({ maxConcurrentRequests: z.number().int().min(1).max(100) }),
    workflowActions: z.strictObject({ published: z.boolean() }),
  })
  .refine((config) => config.distribution !== 'marketplace' || config.auth.type === 'oauth', {
    path: ['auth', 'type'],
    message: 'marketplace distribution requires oauth auth',
  });
export type AppConfig = z.output<typeof AppConfigSchema>;

/** Reads and validates app.json; throws one error listing every problem with its path. */
export function loadAppConfig(file: string): AppConfig {
  const parsed = AppConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a valid app config:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The origin HubSpot must allow for `hubspot.fetch` (permittedUrls.fetch takes origins, not paths). */
export const backendOrigin = (config: AppConfig): string => new URL(config.backendUrl).origin;
