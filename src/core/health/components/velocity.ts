import type { CompiledModel, CompiledStage } from '../../model/model-types';
import type { RecordAt } from '../account-snapshot';
import { clamp01, daysInStage, fmtDays, leftFlow, noData, type ComponentResult, type ScoringContext } from './component';

/** Median SLA of the path's stages: the yardstick for a stage that sets no deadline of its own. */
function medianPathSla(model: CompiledModel): number | null {
  const slas = model.pathStages.flatMap((s) => (s.slaDays === null ? [] : [s.slaDays])).sort((a, b) => a - b);
  if (slas.length === 0) return null;
  const mid = slas.length >> 1;
  const upper = slas[mid] as number;
  return slas.length % 2 === 1 ? upper : ((slas[mid - 1] as number) + upper) / 2;
}

/**
 * Days the model plans for a stage: its SLA; for a recycle detour its email pause (the detour is meant to last
 * that long); otherwise the median SLA of the path. Customer stages and the last path stage have no deadline
 * unless they set an SLA: a customer staying a customer is not slow (retention is scored by churn, satisfaction
 * and upsell).
 */
export function plannedDays(stage: CompiledStage, model: CompiledModel): number | null {
  if (stage.slaDays !== null) return stage.slaDays;
  const last = model.pathStages[model.pathStages.length - 1];
  if (model.customerStages.has(stage.id) || stage.id === last?.id) return null;
  const pause = model.recycleByStage.get(stage.id)?.pauseDays ?? 0;
  if (stage.kind === 'recycle' && pause > 0) return pause;
  return medianPathSla(model);
}

interface Pace {
  score: number;
  days: number | null;
  planned: number | null;
}

/**
 * 1 within the planned time, falling linearly to 0 at twice the planned time (by then the record has stalled);
 * 0 for a record that left the flow; 1 when there is nothing to measure (no plan, or an unknown entry time).
 */
function paceOf(record: RecordAt, at: number, model: CompiledModel): Pace {
  if (leftFlow(record.stage)) return { score: 0, days: null, planned: null };
  const planned = plannedDays(record.stage, model);
  const days = daysInStage(record, at);
  if (planned === null || days === null) return { score: 1, days, planned };
  return { score: clamp01(2 - days / planned), days, planned };
}

/** Mean pace of the account's contacts in their current stages. */
export function scoreVelocity({ model, snapshot }: ScoringContext): ComponentResult {
  const { contacts, at } = snapshot;
  if (contacts.length === 0) return noData('no contact in the lifecycle');
  const paces = contacts.map((c) => ({ contact: c, pace: paceOf(c, at, model) }));
  // Summed in value order so the mean cannot depend, even by a rounding bit, on the order contacts were listed in.
  const score =
    paces
      .map((p) => p.pace.score)
      .sort((a, b) => a - b)
      .reduce((sum, s) => sum + s, 0) / paces.length;
  const onPace = paces.filter((p) => p.pace.score === 1).length;
  const outOfFlow = contacts.filter((c) => leftFlow(c.stage)).length;
  let slowest: (typeof paces)[number] | undefined;
  for (const p of paces) {
    if (p.pace.planned !== null && p.pace.score < 1 && (!slowest || p.pace.score < slowest.pace.score)) slowest = p;
  }
  const parts = [`${onPace} of ${contacts.length} contacts within the time planned for their stage`];
  if (slowest) {
    const { days, planned } = slowest.pace;
    parts.push(`slowest: ${slowest.contact.stage.label} for ${fmtDays(days ?? 0)} days (${fmtDays(planned ?? 0)} planned)`);
  }
  if (outOfFlow > 0) parts.push(`${outOfFlow} out of the flow (dead end or churned), counted as stalled`);
  return { score, detail: `${parts.join('; ')}.` };
}
