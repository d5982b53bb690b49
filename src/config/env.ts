import { redactDatabaseUrl } from '../adapters/store/database-url';
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
    /** Your app's id (HubSpot's project page): lets `lifecycle workflows install` find the app's custom actions. */
    HUBSPOT_APP_ID: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive({ message: 'must be the numeric HubSpot app id' }).optional()),
    DATABASE_URL: optionalString,
    /** PostgreSQL only: the schema the tables live in (created on first start); default: the server's search_path. */
    DATABASE_SCHEMA: optionalString,
    PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    /** Interface to listen on; 0.0.0.0 when the reverse proxy runs on another host. */
    HOST: z.preprocess(emptyAsUndefined, z.union([z.ipv4(), z.ipv6(), z.literal('localhost')], { message: 'must be an IP address such as 127.0.0.1 or 0.0.0.0' }).default('127.0.0.1')),
    /** Guards the dashboard, report API and /metrics (≥ 16 characters); unset = loopback clients only. */
    DASHBOARD_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, { message: 'must be at least 16 characters' }).optional()),
    PUBLIC_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ message: 'must be the https URL HubSpot calls, e.g. https://lifecycle.example.com' }).optional()),
    /**
     * Opt-in: a reverse proxy in front sets X-Forwarded-Proto/Host/For, so they describe the public request. Off by
     * default — then those headers are client input and ignored. PUBLIC_BASE_URL, when set, wins over them.
     */
    TRUST_PROXY: z.preprocess(
      emptyAsUndefined,
      z
        .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
        .default('false')
        .transform((v) => v === 'true' || v === '1'),
    ),
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    LIFECYCLE_MODEL_FILE: optionalString,
    /** OAuth public app (docs/oauth.md): set with no HUBSPOT_ACCESS_TOKEN, accounts install the app themselves. */
    HUBSPOT_CLIENT_ID: optionalString,
    HUBSPOT_OAUTH_AUTHORIZE_URL: z.preprocess(
      emptyAsUndefined,
      z.url({ message: 'must be a URL such as https://app.hubspot.com/oauth/authorize' }).default('https://app.hubspot.com/oauth/authorize'),
    ),
    /** Default: PUBLIC_BASE_URL + /oauth/callback. Must be one of the app's auth.redirectUrls. */
    OAUTH_REDIRECT_URL: z.preprocess(
      emptyAsUndefined,
      z.url({ message: 'must be the URL HubSpot sends the installing admin back to, e.g. https://lifecycle.example.com/oauth/callback' }).optional(),
    ),
    /** 32 random bytes, base64 (openssl rand -base64 32): encrypts the installs' tokens at rest. */
    TOKEN_ENCRYPTION_KEY: optionalString,
    TOKEN_ENCRYPTION_KEY_ID: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,32}$/, { message: 'must be 1-32 letters, digits, _ or -' })
        .default('k1'),
    ),
    /** After a key rotation: the old keys as "id:base64,id:base64", so tokens sealed with them still open. */
    TOKEN_ENCRYPTION_PREVIOUS_KEYS: optionalString,
    /**
     * How long a worker holds claimed work (ms). If an instance dies, others take its work over when the lease ends;
     * a lease must outlast the slowest round (rate-limit waits included), or two instances do the same work.
     */
    LEASE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).max(3_600_000).optional()),
    /**
     * Days a processed webhook event and a delivered HubSpot write are kept before retention deletes them (R29). At
     * least 2: a processed event's dedup key must outlive HubSpot's 24 h of retries. Ledger, states and dead letters
     * are never pruned.
     */
    QUEUE_RETENTION_DAYS: z.preprocess(
      emptyAsUndefined,
      z.coerce.number().min(2, { message: "must be at least 2 (days): HubSpot retries a delivery for 24 h, and a processed event's dedup key must outlive that" }).max(3650).default(14),
    ),
    /** Reconcile sweep interval (drift repair after missed webhooks, reliability.md R17); 0 turns it off. */
    RECONCILE_EVERY_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(3_600_000)),
    /** OAuth: how often each install's webhooks journal is read (catch-up after downtime, up to 3 days); 0 turns it off. */
    JOURNAL_EVERY_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(10_000)),
  })
  .superRefine((env, ctx) => {
    if (env.HUBSPOT_CLIENT_ID && !env.HUBSPOT_ACCESS_TOKEN) checkOAuthSettings(env, ctx);
    if (env.HUBSPOT_ACCESS_TOKEN && !env.HUBSPOT_PORTAL_ID) {
      ctx.addIssue({ code: 'custom', path: ['HUBSPOT_PORTAL_ID'], message: 'is required with HUBSPOT_ACCESS_TOKEN (the account id the token belongs to)' });
    }
    if (env.HUBSPOT_ACCESS_TOKEN && !env.HUBSPOT_CLIENT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['HUBSPOT_CLIENT_SECRET'], message: "is required with HUBSPOT_ACCESS_TOKEN (the app's client secret verifies HubSpot's requests)" });
    }
  })
  .transform((env) => ({ ...env, AUTH_MODE: authModeOf(env) }));
export type Env = z.infer<typeof EnvSchema>;

/** static: one private-app token (HUBSPOT_ACCESS_TOKEN). oauth: a public app installed by any number of accounts. */
export type AuthMode = 'static' | 'oauth';

function authModeOf(env: { HUBSPOT_ACCESS_TOKEN?: string | undefined; HUBSPOT_CLIENT_ID?: string | undefined }): AuthMode {
  return !env.HUBSPOT_ACCESS_TOKEN && env.HUBSPOT_CLIENT_ID ? 'oauth' : 'static';
}

interface OAuthEnv {
  HUBSPOT_CLIENT_SECRET?: string | undefined;
  OAUTH_REDIRECT_URL?: string | undefined;
  PUBLIC_BASE_URL?: string | undefined;
  TOKEN_ENCRYPTION_KEY?: string | undefined;
  TOKEN_ENCRYPTION_PREVIOUS_KEYS?: string | undefined;
}

/** The messages name what is missing and how to produce it; they never echo a secret's value. */
function checkOAuthSettings(env: OAuthEnv, ctx: z.RefinementCtx): void {
  const oauth = 'with HUBSPOT_CLIENT_ID and no HUBSPOT_ACCESS_TOKEN (OAuth public app)';
  if (!env.HUBSPOT_CLIENT_SECRET)
    ctx.addIssue({ code: 'custom', path: ['HUBSPOT_CLIENT_SECRET'], message: `is required ${oauth}: the token exchange and HubSpot's request signatures use it` });
  if (!env.OAUTH_REDIRECT_URL && !env.PUBLIC_BASE_URL)
    ctx.addIssue({ code: 'custom', path: ['OAUTH_REDIRECT_URL'], message: `is required ${oauth}: set it, or PUBLIC_BASE_URL (then <PUBLIC_BASE_URL>/oauth/callback is used)` });
  if (!env.TOKEN_ENCRYPTION_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['TOKEN_ENCRYPTION_KEY'],
      message: `is required ${oauth}: 32 random bytes in base64 (openssl rand -base64 32) that encrypt the installs' tokens at rest`,
    });
  } else if (decodedLength(env.TOKEN_ENCRYPTION_KEY) !== 32) {
    ctx.addIssue({
      code: 'custom',
      path: ['TOKEN_ENCRYPTION_KEY'],
      message: `must be 32 bytes in base64 (openssl rand -base64 32); it decodes to ${decodedLength(env.TOKEN_ENCRYPTION_KEY)} bytes`,
    });
  }
  for (const entry of (env.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? '').split(',').filter((e) => e.trim() !== '')) {
    const [id, key] = entry.split(':');
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id.trim()) || !key || decodedLength(key) !== 32) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_PREVIOUS_KEYS'], message: 'must be "id:base64key" pairs separated by commas, each key 32 bytes' });
      return;
    }
  }
}

const decodedLength = (base64: string) => Buffer.from(base64.trim(), 'base64').length;

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
export const usesSimulator = (env: Env) => !env.HUBSPOT_ACCESS_TOKEN && env.AUTH_MODE === 'static';

export function redactedConfig(env: Env): Record<string, unknown> {
  return {
    ...env,
    HUBSPOT_ACCESS_TOKEN: env.HUBSPOT_ACCESS_TOKEN ? '***' : undefined,
    DATABASE_URL: env.DATABASE_URL ? redactDatabaseUrl(env.DATABASE_URL) : undefined,
    HUBSPOT_CLIENT_SECRET: env.HUBSPOT_CLIENT_SECRET ? '***' : undefined,
    TOKEN_ENCRYPTION_KEY: env.TOKEN_ENCRYPTION_KEY ? '***' : undefined,
    TOKEN_ENCRYPTION_PREVIOUS_KEYS: env.TOKEN_ENCRYPTION_PREVIOUS_KEYS ? '***' : undefined,
    DASHBOARD_TOKEN: env.DASHBOARD_TOKEN ? '***' : undefined,
  };
}
