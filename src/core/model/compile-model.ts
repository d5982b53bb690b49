import { HEALTH_COMPONENTS, LifecycleModelSchema, type LifecycleModelDocument, type Reason } from './model-schema';
import type { CompiledModel, CompiledRule, CompiledStage, RecycleRule } from './model-types';

export type ModelParseResult = { ok: true; model: CompiledModel } | { ok: false; errors: string[] };

/** One problem of a model document, at the path of the offending value (`stages[3].slaDays`; '' for the whole). */
export interface ModelIssue {
  path: string;
  message: string;
}

export type ModelValidation = { ok: true; model: CompiledModel } | { ok: false; issues: ModelIssue[] };

/** `['stages', 3, 'transitions', 0, 'to']` → `stages[3].transitions[0].to`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join('');
}

function toIssue(issue: { path: ReadonlyArray<PropertyKey>; message: string }): ModelIssue {
  return { path: formatIssuePath(issue.path), message: issue.message };
}

function formatIssue(issue: ModelIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/**
 * Parses and cross-checks a lifecycle model document. Every problem is reported with the path of the offending
 * value, and all problems are reported at once so an admin can fix a model file in one pass.
 */
export function parseModel(input: unknown): ModelParseResult {
  const result = validateModel(input);
  return result.ok ? result : { ok: false, errors: result.issues.map(formatIssue) };
}

/**
 * parseModel with each problem as `{ path, message }`, so a form can show it next to the field it is about (the
 * settings page). Same schema, same cross-checks: a document valid here is valid in a model file, and back.
 */
export function validateModel(input: unknown): ModelValidation {
  const parsed = LifecycleModelSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map(toIssue) };
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, model: compile(parsed.data) };
}

/** Like parseModel, for callers that treat a bad model as a programming or configuration error. */
export function compileModelOrThrow(input: unknown): CompiledModel {
  const result = parseModel(input);
  if (!result.ok) throw new Error(`invalid lifecycle model:\n  ${result.errors.join('\n  ')}`);
  return result.model;
}

function crossCheck(doc: LifecycleModelDocument): ModelIssue[] {
  const errors: ModelIssue[] = [];
  const add = (path: PropertyKey[], message: string) => errors.push(toIssue({ path, message }));
  const stageById = new Map(doc.stages.map((s) => [s.id, s]));
  const pathStages = doc.stages.filter((s) => s.kind === 'path').sort((a, b) => a.order - b.order);
  const pathRank = new Map(pathStages.map((s, i) => [s.id, i]));
  const customerStages = new Set(doc.churn?.from ?? []);

  const unknown = (id: string) => `unknown stage "${id}"`;
  const requireStage = (path: PropertyKey[], id: string, kind?: string): boolean => {
    const stage = stageById.get(id);
    if (!stage) {
      add(path, unknown(id));
      return false;
    }
    if (kind && stage.kind !== kind) {
      add(path, `stage "${id}" is a ${stage.kind} stage; expected a ${kind} stage`);
      return false;
    }
    return true;
  };

  const seen = new Set<string>();
  const seenPathOrders = new Map<number, string>();
  doc.stages.forEach((stage, i) => {
    if (seen.has(stage.id)) add(['stages', i, 'id'], `duplicate stage id "${stage.id}"`);
    seen.add(stage.id);
    if (stage.kind === 'path') {
      const other = seenPathOrders.get(stage.order);
      if (other) add(['stages', i, 'order'], `order ${stage.order} is already used by path stage "${other}"`);
      seenPathOrders.set(stage.order, stage.id);
    }
    if (stage.nativeStage !== null && !doc.native.order.includes(stage.nativeStage)) {
      add(['stages', i, 'nativeStage'], `"${stage.nativeStage}" is not in native.order`);
    }
    if (stage.kind === 'dead_end' && stage.transitions.length > 0) {
      add(['stages', i, 'transitions'], 'Dead end is terminal: no rule may leave it (only an explicit admin reopen)');
      return;
    }
    stage.transitions.forEach((rule, j) => {
      const path = ['stages', i, 'transitions', j, 'to'];
      const target = stageById.get(rule.to);
      if (!target) return add(path, unknown(rule.to));
      if (rule.to === stage.id) return add(path, `a transition cannot lead back to its own stage "${stage.id}"`);
      if (target.kind === 'recycle') return add(path, `"${rule.to}" is a recycle stage: declare a recycle rule instead`);
      if (target.kind === 'dead_end') return add(path, `"${rule.to}" is the dead end: declare a deadEnd rule instead`);
      if (target.kind === 'churned') return add(path, `"${rule.to}" is the churned stage: declare the churn rule instead`);
      if (stage.kind === 'path' && (pathRank.get(rule.to) ?? 0) < (pathRank.get(stage.id) ?? 0)) {
        add(path, `"${rule.to}" is earlier on the path than "${stage.id}": backward moves are recycle rules`);
      }
    });
  });

  const pathOnly = (path: PropertyKey[], id: string) => requireStage(path, id, 'path');
  pathOnly(['entry', 'stage'], doc.entry.stage);

  doc.fastpass.forEach((rule, i) => {
    if (!pathOnly(['fastpass', i, 'to'], rule.to)) return;
    rule.from?.forEach((from, j) => {
      if (!pathOnly(['fastpass', i, 'from', j], from)) return;
      if ((pathRank.get(from) ?? 0) >= (pathRank.get(rule.to) ?? 0)) {
        add(['fastpass', i, 'from', j], `"${from}" is not before "${rule.to}" on the path`);
      }
    });
  });

  const recycleStages = new Map<string, number>();
  doc.recycle.forEach((rule, i) => {
    if (requireStage(['recycle', i, 'stage'], rule.stage, 'recycle')) {
      const other = recycleStages.get(rule.stage);
      if (other !== undefined) add(['recycle', i, 'stage'], `stage "${rule.stage}" is already used by recycle[${other}]`);
      recycleStages.set(rule.stage, i);
    }
    rule.from.forEach((from, j) => {
      if (!pathOnly(['recycle', i, 'from', j], from)) return;
      if (customerStages.has(from)) add(['recycle', i, 'from', j], `"${from}" is a customer stage; churn handles lost customers`);
    });
    pathOnly(['recycle', i, 'returnTo'], rule.returnTo);
    checkReasons(rule.reasons, ['recycle', i, 'reasons'], add);
    if (!rule.reasons.some((r) => r.code === rule.defaultReason)) {
      add(['recycle', i, 'defaultReason'], `"${rule.defaultReason}" is not one of the rule's reasons`);
    }
    if (rule.reengagement?.to) pathOnly(['recycle', i, 'reengagement', 'to'], rule.reengagement.to);
  });
  doc.stages.forEach((stage, i) => {
    if (stage.kind === 'recycle' && !recycleStages.has(stage.id)) {
      add(['stages', i, 'kind'], `recycle stage "${stage.id}" has no recycle rule leading into it`);
    }
  });

  requireStage(['deadEnd', 'stage'], doc.deadEnd.stage, 'dead_end');
  checkReasons(doc.deadEnd.reasons, ['deadEnd', 'reasons'], add);
  const deadEndCodes = new Set(doc.deadEnd.reasons.map((r) => r.code));
  doc.deadEnd.rules.forEach((rule, i) => {
    if (!deadEndCodes.has(rule.reason)) add(['deadEnd', 'rules', i, 'reason'], `unknown dead-end reason "${rule.reason}"`);
  });
  doc.deadEnd.from?.forEach((from, j) => {
    if (!pathOnly(['deadEnd', 'from', j], from)) return;
    if (customerStages.has(from)) add(['deadEnd', 'from', j], `"${from}" is a customer stage: customers are never dead-ended`);
  });
  const deadEndStages = doc.stages.filter((s) => s.kind === 'dead_end');
  if (deadEndStages.length > 1) add(['stages'], `only one dead_end stage is allowed, found ${deadEndStages.length}`);

  if (doc.churn) {
    requireStage(['churn', 'stage'], doc.churn.stage, 'churned');
    doc.churn.from.forEach((from, j) => pathOnly(['churn', 'from', j], from));
  }

  const weightSum = HEALTH_COMPONENTS.reduce((sum, c) => sum + (doc.health.weights[c] ?? 0), 0);
  if (Math.abs(weightSum - 100) > 1e-9) add(['health', 'weights'], `weights must sum to 100, not ${weightSum}`);
  if (doc.health.bands.atRisk >= doc.health.bands.healthy) {
    add(['health', 'bands', 'atRisk'], `must be below bands.healthy (${doc.health.bands.healthy})`);
  }
  return errors;
}

function checkReasons(reasons: Reason[], path: PropertyKey[], add: (p: PropertyKey[], m: string) => void) {
  const codes = new Set<string>();
  reasons.forEach((reason, i) => {
    if (codes.has(reason.code)) add([...path, i, 'code'], `duplicate reason code "${reason.code}"`);
    codes.add(reason.code);
  });
}

function compile(doc: LifecycleModelDocument): CompiledModel {
  const stages: CompiledStage[] = doc.stages.map((s) => ({
    id: s.id,
    label: s.label,
    kind: s.kind,
    order: s.order,
    slaDays: s.slaDays ?? null,
    nativeStage: s.nativeStage,
    owner: s.owner ?? null,
  }));
  const stageById = new Map(stages.map((s) => [s.id, s]));
  const pathStages = stages.filter((s) => s.kind === 'path').sort((a, b) => a.order - b.order);
  const pathRank = new Map(pathStages.map((s, i) => [s.id, i]));
  const customerStages = new Set(doc.churn?.from ?? []);
  const firstCustomerRank = Math.min(...[...customerStages].map((id) => pathRank.get(id) ?? Infinity));
  const skippedBetween = (from: string, to: string): string[] => {
    const a = pathRank.get(from);
    const b = pathRank.get(to);
    if (a === undefined || b === undefined || b <= a + 1) return [];
    return pathStages.slice(a + 1, b).map((s) => s.id);
  };

  const rulesFrom = new Map<string, CompiledRule[]>(stages.map((s) => [s.id, []]));
  const push = (rule: CompiledRule) => rulesFrom.get(rule.from)?.push(rule);

  for (const stage of doc.stages) {
    stage.transitions.forEach((t, j) => {
      const skipped = stage.kind === 'path' ? skippedBetween(stage.id, t.to) : [];
      const kind: CompiledRule['kind'] = stage.kind === 'churned' ? 'win_back' : stage.kind === 'recycle' ? 'return' : skipped.length > 0 ? 'fastpass' : 'advance';
      push({ id: t.id ?? `${stage.id}_to_${t.to}${j > 0 ? `_${j}` : ''}`, from: stage.id, to: t.to, when: t.when, reason: t.reason, kind, skipped });
    });
  }
  for (const rule of doc.fastpass) {
    const toRank = pathRank.get(rule.to) ?? 0;
    const froms = rule.from ?? pathStages.filter((s) => (pathRank.get(s.id) ?? 0) < toRank).map((s) => s.id);
    for (const from of froms) {
      const skipped = skippedBetween(from, rule.to);
      const kind = skipped.length > 0 ? 'fastpass' : 'advance';
      push({ id: rule.id, from, to: rule.to, when: rule.when, reason: rule.reason, kind, skipped });
    }
    if (rule.from) continue;
    // A strong signal (a deal opened, a meeting booked) also ends a recycle detour early; the path stages the
    // record then never re-entered are recorded as skipped.
    for (const recycle of doc.recycle) {
      const returnRank = pathRank.get(recycle.returnTo) ?? Infinity;
      if (returnRank >= toRank) continue;
      const skipped = pathStages.slice(returnRank, toRank).map((s) => s.id);
      push({ id: rule.id, from: recycle.stage, to: rule.to, when: rule.when, reason: rule.reason, kind: 'fastpass', skipped });
    }
  }

  const recycleRules: RecycleRule[] = doc.recycle.map((r) => ({
    id: r.id,
    label: r.label,
    stage: r.stage,
    from: r.from,
    when: r.when,
    reasons: r.reasons,
    defaultReason: r.defaultReason,
    reasonProperty: r.reasonProperty ?? null,
    pauseDays: r.pauseDays,
    returnTo: r.returnTo,
    reengagement: r.reengagement
      ? {
          when: r.reengagement.when,
          to: r.reengagement.to ?? r.returnTo,
          alertOwner: r.reengagement.alertOwner,
          releasePause: r.reengagement.releasePause,
          taskPriority: r.reengagement.taskPriority,
        }
      : null,
  }));

  const deadEndFrom = new Set(doc.deadEnd.from ?? pathStages.filter((s) => (pathRank.get(s.id) ?? 0) < firstCustomerRank).map((s) => s.id));

  return {
    name: doc.name,
    document: doc,
    stages,
    stageById,
    pathStages,
    pathRank,
    nativeProperty: doc.native.property,
    nativeOrder: doc.native.order,
    nativeRank: new Map(doc.native.order.map((v, i) => [v, i])),
    nativeSync: doc.native.sync,
    entry: { stage: doc.entry.stage, when: doc.entry.when, reason: doc.entry.reason },
    rulesFrom,
    recycleRules,
    recycleByStage: new Map(recycleRules.map((r) => [r.stage, r])),
    recycleReasons: uniqueByCode(recycleRules.flatMap((r) => r.reasons)),
    deadEnd: {
      stage: doc.deadEnd.stage,
      reasons: doc.deadEnd.reasons,
      from: deadEndFrom,
      reasonProperty: doc.deadEnd.reasonProperty ?? null,
      rules: doc.deadEnd.rules.map((r) => ({ id: r.id, when: r.when, reason: r.reason })),
    },
    churn: doc.churn ? { stage: doc.churn.stage, from: new Set(doc.churn.from), when: doc.churn.when, reason: doc.churn.reason } : null,
    customerStages,
    health: doc.health,
  };
}

function uniqueByCode(reasons: Reason[]): Reason[] {
  const byCode = new Map<string, Reason>();
  for (const reason of reasons) if (!byCode.has(reason.code)) byCode.set(reason.code, { code: reason.code, label: reason.label });
  return [...byCode.values()];
}
