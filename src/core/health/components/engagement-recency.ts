import { DAY_MS } from '../../engine/time';
import { clamp01, fmtDays, noData, plural, type ComponentResult, type ScoringContext } from './component';

/**
 * Recency of the latest engagement: 1 today, decaying linearly to 0 at the model's engagement horizon. No recorded
 * engagement at all while contacts are in the lifecycle scores 0 (as if infinitely long ago), so that having engaged
 * once long ago never scores below never having engaged.
 */
export function scoreEngagementRecency({ model, snapshot }: ScoringContext): ComponentResult {
  const horizon = model.health.engagementHorizonDays;
  const latest = snapshot.latestEngagement;
  if (!latest) {
    if (snapshot.contacts.length === 0) return noData('no contact and no engagement');
    return { score: 0, detail: `No engagement recorded for ${plural(snapshot.contacts.length, 'contact')}.` };
  }
  const days = (snapshot.at - latest.at) / DAY_MS;
  return {
    score: clamp01(1 - days / horizon),
    detail: `Last engagement (${latest.activity}) ${fmtDays(days)} days ago; it scores 0 at ${fmtDays(horizon)} days.`,
  };
}
