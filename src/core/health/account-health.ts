import { DAY_MS } from '../engine/time';
import { InstantSchema } from '../ledger/report-query';
import { HEALTH_COMPONENTS, type HealthComponent } from '../model/model-schema';
import type { CompiledModel } from '../model/model-types';
import { snapshotAt, type AccountSnapshot } from './account-snapshot';
import { accountStageOf } from './account-stage';
import { scoreChurnSignals } from './components/churn-signals';
import type { ComponentResult, ScoringContext } from './components/component';
import { scoreDeals } from './components/deals';
import { scoreEngagementRecency } from './components/engagement-recency';
import { scoreRecycledAndDeadEnd } from './components/recycled-and-dead-end';
import { scoreSatisfaction } from './components/satisfaction';
import { scoreSlaBreaches } from './components/sla-breaches';
import { scoreStageProgress } from './components/stage-progress';
import { scoreUpsell } from './components/upsell';
import { scoreVelocity } from './components/velocity';
import { healthBand } from './health-band';
import { AccountHealthInputSchema, type AccountHealthInput, type ParsedAccountHealthInput } from './health-input';
import type { AccountHealth, HealthComponentScore, StageCount } from './health-output';

const COMPONENTS: Record<HealthComponent, { label: string; score: (ctx: ScoringContext) => ComponentResult }> = {
  stageProgress: { label: 'Stage progress', score: scoreStageProgress },
  velocity: { label: 'Velocity', score: scoreVelocity },
  slaBreaches: { label: 'Within SLA', score: scoreSlaBreaches },
  engagementRecency: { label: 'Engagement recency', score: scoreEngagementRecency },
  deals: { label: 'Deals', score: scoreDeals },
  recycledAndDeadEnd: { label: 'Recycled and dead end', score: scoreRecycledAndDeadEnd },
  churnSignals: { label: 'Churn signals', score: scoreChurnSignals },
  satisfaction: { label: 'Satisfaction (NPS, CSAT)', score: scoreSatisfaction },
  upsell: { label: 'Upsell share', score: scoreUpsell },
};

interface ScoredSnapshot {
  score: number;
  components: HealthComponentScore[];
  context: ScoringContext;
}

function scoreSnapshot(snapshot: AccountSnapshot, model: CompiledModel): ScoredSnapshot {
  const records = snapshot.company ? [...snapshot.contacts, snapshot.company] : snapshot.contacts;
  const context: ScoringContext = { model, snapshot, accountStage: accountStageOf(records, snapshot.deals, model) };
  const components = HEALTH_COMPONENTS.map((id): HealthComponentScore => {
    const weight = model.health.weights[id] ?? 0;
    const { score, detail } = COMPONENTS[id].score(context);
    return { id, label: COMPONENTS[id].label, weight, score, points: weight * score, detail };
  });
  // Summed in the fixed component order, so a better component can never round the total down.
  const total = components.reduce((sum, c) => sum + c.points, 0);
  return { score: Math.min(100, Math.max(0, Math.round(total))), components, context };
}

function contactsPerStage(snapshot: AccountSnapshot, model: CompiledModel): StageCount[] {
  const counts = new Map<string, number>();
  for (const c of snapshot.contacts) counts.set(c.stage.id, (counts.get(c.stage.id) ?? 0) + 1);
  // `order` is the model's display order; Array.prototype.sort is stable, so equal orders keep file order.
  return [...model.stages].sort((a, b) => a.order - b.order).map((s) => ({ stageId: s.id, label: s.label, count: counts.get(s.id) ?? 0 }));
}

function scoreAt(input: ParsedAccountHealthInput, model: CompiledModel, at: number): ScoredSnapshot {
  return scoreSnapshot(snapshotAt(input, model, at), model);
}

/**
 * The account's lifecycle health at `now`: nine weighted components (weights from the model, summing to 100),
 * a 0-100 score, its band, and the trend against the score `trendDays` earlier, recomputed from the same inputs as
 * they stood then (contact stages from their ledger histories; deals, answers, engagement and signals by date).
 *
 * @throws ZodError when the input or `now` is malformed.
 */
export function accountHealth(input: AccountHealthInput, model: CompiledModel, now: number): AccountHealth {
  const parsed = AccountHealthInputSchema.parse(input);
  const at = InstantSchema.parse(now);
  const current = scoreAt(parsed, model, at);
  const { trendDays } = model.health;
  const trendAt = at - trendDays * DAY_MS;
  const previous = scoreAt(parsed, model, trendAt).score;
  const delta = current.score - previous;
  const stage = current.context.accountStage;
  return {
    score: current.score,
    band: healthBand(current.score, model.health.bands),
    components: current.components,
    accountStage: stage ? { stageId: stage.id, label: stage.label, kind: stage.kind } : null,
    contactsPerStage: contactsPerStage(current.context.snapshot, model),
    trend: { at: trendAt, days: trendDays, previous, delta, direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat' },
  };
}
