import { EXPANSION_DEAL_TYPES } from '../health-input';
import { clamp01, fmtPercent, noData, type ComponentResult, type ScoringContext } from './component';

/**
 * The literature puts upsell revenue at 10-30 % of total revenue for young companies and 50 %+ for mature ones;
 * top performers earn 50 % from existing customers against 30 % for average firms. 30 % is therefore "on track".
 */
export const UPSELL_SHARE_FOR_FULL_SCORE = 0.3;

const isExpansion = (dealType: string | null) => (EXPANSION_DEAL_TYPES as readonly string[]).includes((dealType ?? '').toLowerCase());

/**
 * Share of won revenue from upsell, cross-sell and renewal deals, scaled so 30 % or more scores 1. Won deals
 * without an amount carry no revenue, so they do not move the share. Being the literature's ratio, a new-business
 * win dilutes it: the deals and stage components carry the good news of that win.
 */
export function scoreUpsell({ snapshot }: ScoringContext): ComponentResult {
  const won = snapshot.deals.filter((d) => d.status === 'won');
  if (won.length === 0) return noData('no won deals yet');
  const total = won.reduce((sum, d) => sum + (d.amount ?? 0), 0);
  if (total === 0) return noData('no won deal with an amount');
  const expansion = won.filter((d) => isExpansion(d.dealType)).reduce((sum, d) => sum + (d.amount ?? 0), 0);
  const share = expansion / total;
  return {
    score: clamp01(share / UPSELL_SHARE_FOR_FULL_SCORE),
    detail: `${fmtPercent(share)} of won revenue (${expansion} of ${total}) from upsell, cross-sell or renewal; ` + `${fmtPercent(UPSELL_SHARE_FOR_FULL_SCORE)} or more scores full.`,
  };
}
