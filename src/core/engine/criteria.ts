import type { AttributeCondition, Criterion, EventPredicate, PropertyPredicate, ScorePredicate, StageAgePredicate } from '../model/criteria-schema';
import type { FactEvent, Facts } from './facts';
import { DAY_MS, isoTime } from './time';

/** When a criterion became true, and the facts that made it so. */
export interface Satisfaction {
  at: number;
  evidence: string[];
  /** Events that met event predicates (e.g. the lost deal behind a Recycle B). */
  events: FactEvent[];
}

export interface CriterionContext {
  facts: Facts;
  /** When the record entered its current stage; null for a record not yet in the lifecycle. */
  stageEnteredAt: number | null;
  now: number;
  /** Collects future instants at which a time-based criterion may become true. */
  wakeTimes: number[];
  /**
   * Count only events strictly after stageEnteredAt (after a detour): the events at the instant a record was recycled
   * or churned are the ones that led into the detour, so they cannot also lead it straight back out.
   */
  strictlyAfterEntry?: boolean;
}

/** Earliest instant (≤ now) the criterion holds, or null when it does not hold now. */
export function satisfaction(criterion: Criterion, ctx: CriterionContext): Satisfaction | null {
  if ('all' in criterion) {
    const parts: Satisfaction[] = [];
    for (const c of criterion.all) {
      const s = satisfaction(c, ctx);
      if (!s) return null;
      parts.push(s);
    }
    return {
      at: Math.max(...parts.map((p) => p.at)),
      evidence: parts.flatMap((p) => p.evidence),
      events: parts.flatMap((p) => p.events),
    };
  }
  if ('any' in criterion) {
    let best: Satisfaction | null = null;
    for (const c of criterion.any) {
      const s = satisfaction(c, ctx);
      if (s && (!best || s.at < best.at)) best = s;
    }
    return best;
  }
  if ('not' in criterion) {
    // A negation has no moment of its own; it holds from the later of stage entry and the facts' read time.
    const inner = satisfaction(criterion.not, { ...ctx, wakeTimes: [] });
    return inner ? null : { at: floorTime(ctx), evidence: [], events: [] };
  }
  if ('property' in criterion) return propertySatisfaction(criterion, ctx);
  if ('event' in criterion) return eventSatisfaction(criterion, ctx);
  if ('score' in criterion) return scoreSatisfaction(criterion, ctx);
  return stageAgeSatisfaction(criterion, ctx);
}

function floorTime(ctx: CriterionContext): number {
  return ctx.stageEnteredAt ?? ctx.facts.createdAt ?? ctx.facts.observedAt ?? ctx.now;
}

function propertyTime(name: string, ctx: CriterionContext): number {
  return Math.min(ctx.facts.propertyChangedAt?.[name] ?? ctx.facts.propertyObservedAt?.[name] ?? ctx.facts.observedAt ?? ctx.now, ctx.now);
}

const normalize = (v: unknown) => String(v).trim().toLowerCase();

function domainOf(value: string): string {
  const at = value.lastIndexOf('@');
  return normalize(at >= 0 ? value.slice(at + 1) : value).replace(/^www\./, '');
}

export function propertyMatches(predicate: PropertyPredicate, raw: string | null | undefined): boolean {
  const present = raw !== null && raw !== undefined && raw.trim() !== '';
  switch (predicate.op) {
    case 'exists':
      return present;
    case 'not_exists':
      return !present;
    case 'not_equals':
      return !present || normalize(raw) !== normalize(predicate.value);
    case 'not_in':
      return !present || !(predicate.values ?? []).some((v) => normalize(v) === normalize(raw));
    default:
      break;
  }
  if (!present) return false;
  switch (predicate.op) {
    case 'equals':
      return normalize(raw) === normalize(predicate.value);
    case 'in':
      return (predicate.values ?? []).some((v) => normalize(v) === normalize(raw));
    case 'contains':
      return normalize(raw).includes(normalize(predicate.value));
    case 'domain_in': {
      const domain = domainOf(raw);
      return (predicate.values ?? []).some((d) => domain === normalize(d) || domain.endsWith(`.${normalize(d)}`));
    }
    case 'gte':
    case 'lte': {
      const n = Number(raw);
      const bound = Number(predicate.value);
      if (!Number.isFinite(n) || !Number.isFinite(bound)) return false;
      return predicate.op === 'gte' ? n >= bound : n <= bound;
    }
  }
}

function propertySatisfaction(p: PropertyPredicate, ctx: CriterionContext): Satisfaction | null {
  const raw = ctx.facts.properties[p.property];
  if (!propertyMatches(p, raw)) return null;
  const shown = raw === null || raw === undefined || raw === '' ? 'empty' : `"${raw}"`;
  return { at: propertyTime(p.property, ctx), evidence: [`${p.property} is ${shown} (${p.op})`], events: [] };
}

function scoreSatisfaction(p: ScorePredicate, ctx: CriterionContext): Satisfaction | null {
  const raw = ctx.facts.properties[p.score.property];
  const n = Number(raw);
  if (raw === null || raw === undefined || raw === '' || !Number.isFinite(n) || n < p.score.gte) return null;
  return {
    at: propertyTime(p.score.property, ctx),
    evidence: [`${p.score.property} ${n} ≥ ${p.score.gte}`],
    events: [],
  };
}

function stageAgeSatisfaction(p: StageAgePredicate, ctx: CriterionContext): Satisfaction | null {
  if (ctx.stageEnteredAt === null) return null;
  const due = ctx.stageEnteredAt + p.inStageForDays * DAY_MS;
  if (due > ctx.now) {
    ctx.wakeTimes.push(due);
    return null;
  }
  return { at: due, evidence: [`in stage ${p.inStageForDays} days (since ${isoTime(ctx.stageEnteredAt)})`], events: [] };
}

function attributeMatches(condition: AttributeCondition, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(condition)) return condition.some((c) => normalize(c) === normalize(value));
  if (typeof condition === 'object') {
    const n = Number(value);
    if (!Number.isFinite(n)) return false;
    return (condition.gte === undefined || n >= condition.gte) && (condition.lte === undefined || n <= condition.lte);
  }
  return normalize(condition) === normalize(value);
}

export function eventMatches(p: EventPredicate, event: FactEvent): boolean {
  if (event.type !== p.event) return false;
  for (const [key, condition] of Object.entries(p.where ?? {})) {
    if (!attributeMatches(condition, event.attrs?.[key])) return false;
  }
  return true;
}

function describeEvent(e: FactEvent): string {
  const attrs = Object.entries(e.attrs ?? {})
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return `${e.type}${attrs ? ` (${attrs})` : ''} at ${isoTime(e.at)}`;
}

/** Orders events of one instant by content, so the evidence (and a lost deal's id) never depends on read order. */
function compareSameInstant(a: FactEvent, b: FactEvent): number {
  const key = (e: FactEvent) => `${e.id ?? ''}\u0000${describeEvent(e)}`;
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function eventSatisfaction(p: EventPredicate, ctx: CriterionContext): Satisfaction | null {
  const since = p.scope === 'since_stage_entered' ? ctx.stageEnteredAt : null;
  const counts = (at: number) => since === null || at > since || (at === since && !ctx.strictlyAfterEntry);
  const matching = ctx.facts.events.filter((e) => e.at <= ctx.now && counts(e.at) && eventMatches(p, e)).sort((a, b) => a.at - b.at || compareSameInstant(a, b));
  const n = p.atLeast;
  if (matching.length < n) return null;
  const windowMs = p.withinDays === undefined ? Infinity : p.withinDays * DAY_MS;
  // Earliest instant at which n matching events fall inside one sliding window.
  for (let last = n - 1; last < matching.length; last++) {
    const first = matching[last - n + 1]!;
    const end = matching[last]!;
    if (end.at - first.at <= windowMs) {
      const used = matching.slice(last - n + 1, last + 1);
      const label = n === 1 ? describeEvent(end) : `${n}× ${p.event}${p.withinDays === undefined ? '' : ` within ${p.withinDays} days`} (latest at ${isoTime(end.at)})`;
      return { at: end.at, evidence: [label], events: used };
    }
  }
  return null;
}
