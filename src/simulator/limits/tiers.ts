/**
 * HubSpot's rate-limit tiers (usage guidelines; docs/performance.md §1). `daily: null` = no published cap
 * (public OAuth apps); private tiers also send the daily headers.
 */
export const RATE_LIMIT_TIERS = {
  public: { perTenSeconds: 110, daily: null },
  'private-starter': { perTenSeconds: 100, daily: 250_000 },
  'private-professional': { perTenSeconds: 190, daily: 625_000 },
  'private-enterprise': { perTenSeconds: 190, daily: 1_000_000 },
} as const;

export type RateLimitTier = keyof typeof RATE_LIMIT_TIERS;

export interface RateLimitPolicy {
  tier: RateLimitTier;
  perTenSeconds: number;
  daily: number | null;
  /** CRM search has its own limit: 5 requests per second per account. */
  searchPerSecond: number;
}

export function policyFor(tier: RateLimitTier, overrides: Partial<Omit<RateLimitPolicy, 'tier'>> = {}): RateLimitPolicy {
  return { tier, ...RATE_LIMIT_TIERS[tier], searchPerSecond: 5, ...overrides };
}

export const isPrivateTier = (tier: RateLimitTier): boolean => tier !== 'public';
