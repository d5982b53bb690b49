import { z } from 'zod';

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

/**
 * The backend's configuration, parsed once from the environment. `PORT=` in a .env file means "unset", not 0.
 * Secrets are never logged (see redactedConfig).
 */
export const EnvSchema = z
  .object({
    HUBSPOT_API_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ message: 'must be a URL such as https://api.hubapi.com' }).default('https://api.hubapi.com')),
    HUBSPOT_ACCESS_TOKEN: optionalString,
    HUBSPOT_PORTAL_ID: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive({ message: 'must be the numeric HubSpot account id' }).optional()),
    HUBSPOT_CLIENT_SECRET: optionalString,
    /** Requests per rolling 10 s for the static-token portal: 100 (Free/Starter) or 190 (Pro/Enterprise); public apps 110. */
    HUBSPOT_RATE_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1000).default(100)),
    DATABASE_URL: optionalString,
    PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    PUBLIC_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ message: 'must be the https URL HubSpot calls, e.g. https://lifecycle.example.com' }).optional()),
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    LIFECYCLE_MODEL_FILE: optionalString,
  })
  .superRefine((env, ctx) => {
    if (env.HUBSPOT_ACCESS_TOKEN && !env.HUBSPOT_PORTAL_ID) {
      ctx.addIssue({ code: 'custom', path: ['HUBSPOT_PORTAL_ID'], message: 'is required with HUBSPOT_ACCESS_TOKEN (the account id the token belongs to)' });
    }
    if (env.HUBSPOT_ACCESS_TOKEN && !env.HUBSPOT_CLIENT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['HUBSPOT_CLIENT_SECRET'], message: "is required with HUBSPOT_ACCESS_TOKEN (the app's client secret verifies HubSpot's requests)" });
    }
  });
export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
}

/** True when no HubSpot account is configured: the backend then runs against its own simulator. */
export const usesSimulator = (env: Env) => !env.HUBSPOT_ACCESS_TOKEN;

export function redactedConfig(env: Env): Record<string, unknown> {
  return { ...env, HUBSPOT_ACCESS_TOKEN: env.HUBSPOT_ACCESS_TOKEN ? '***' : undefined, HUBSPOT_CLIENT_SECRET: env.HUBSPOT_CLIENT_SECRET ? '***' : undefined };
}
