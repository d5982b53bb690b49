import { DAY_MS } from '../../engine/time';
import { noData, type ComponentResult, type ScoringContext } from './component';

/** A deal lost this recently weighs double: a fresh loss says more about where the account is heading. */
export const RECENT_LOSS_DAYS = 90;
const RECENT_LOSS_WEIGHT = 2;

/**
 * Open and won deals against lost ones: (open + won) / (open + won + weighted losses), where a loss closed in the
 * last 90 days weighs 2 and an older one 1.
 */
export function scoreDeals({ snapshot }: ScoringContext): ComponentResult {
  const { deals, at } = snapshot;
  if (deals.length === 0) return noData('no deals');
  const open = deals.filter((d) => d.status === 'open').length;
  const won = deals.filter((d) => d.status === 'won').length;
  const lost = deals.filter((d) => d.status === 'lost');
  const recent = lost.filter((d) => at - (d.closedAt ?? d.createdAt) <= RECENT_LOSS_DAYS * DAY_MS).length;
  const lossWeight = recent * RECENT_LOSS_WEIGHT + (lost.length - recent);
  const recentNote = recent > 0 ? ` (${recent} in the last ${RECENT_LOSS_DAYS} days, weighing double)` : '';
  return {
    score: (open + won) / (open + won + lossWeight),
    detail: `${open} open, ${won} won, ${lost.length} lost${recentNote}.`,
  };
}
