import { z } from 'zod';
import type { Clock } from '../clock';
import { RATE_LIMIT_TIERS } from '../limits/tiers';
import type { WebhooksConfigInput } from '../webhooks/webhook-config';

/**
 * Portals the simulator hosts. Defaults are documented in docs/simulator.md so the demo runs with no flags:
 * portal 101, token "sim-token-101", client secret "sim-secret-101", public tier.
 */
export const portalOptionsSchema = z.strictObject({
  portalId: z.number().int().positive(),
  accessTokens: z.array(z.string().min(1)).min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  appId: z.number().int().positive().default(4_242_001),
  tier: z.enum(Object.keys(RATE_LIMIT_TIERS) as [keyof typeof RATE_LIMIT_TIERS, ...Array<keyof typeof RATE_LIMIT_TIERS>]).default('public'),
  rateLimits: z
    .strictObject({
      perTenSeconds: z.number().int().positive().optional(),
      daily: z.number().int().positive().nullable().optional(),
      searchPerSecond: z.number().int().positive().optional(),
    })
    .default({}),
  /** Replaces the default lifecycle stage options, in pipeline order (custom stages use numeric ids in HubSpot). */
  lifecycleStages: z
    .array(z.strictObject({ value: z.string().min(1), label: z.string().min(1) }))
    .min(1)
    .optional(),
  webhooks: z.unknown().optional(),
});

export type PortalOptionsInput = Omit<z.input<typeof portalOptionsSchema>, 'webhooks'> & { webhooks?: WebhooksConfigInput | { config: WebhooksConfigInput } };
export type PortalOptions = z.output<typeof portalOptionsSchema> & { accessTokens: string[]; clientSecret: string };

export const DEFAULT_PORTAL_ID = 101;

export function withPortalDefaults(input: PortalOptionsInput): PortalOptions {
  const parsed = portalOptionsSchema.parse(input);
  return {
    ...parsed,
    accessTokens: parsed.accessTokens ?? [`sim-token-${parsed.portalId}`],
    clientSecret: parsed.clientSecret ?? `sim-secret-${parsed.portalId}`,
  };
}

export interface SimulatorOptions {
  /** Default: one portal, 101. */
  portals?: PortalOptionsInput[];
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default 127.0.0.1; the simulator never listens beyond loopback unless told to. */
  host?: string;
  /** Default: the system clock. Tests pass a ManualClock. */
  clock?: Clock;
  /** Multiplies webhook retry delays (HubSpot: 10 tries over ~24 h). 0.001 turns a day into ~86 s. Default 1. */
  webhookTimeScale?: number;
  /** Real milliseconds before a webhook or workflow-action POST counts as timed out. Default 5000. */
  webhookTimeoutMs?: number;
  /** Receives one line per notable event (deliveries, faults); silent by default. */
  log?: (line: string) => void;
}
