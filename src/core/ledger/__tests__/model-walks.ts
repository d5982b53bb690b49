import type { LedgerEntry } from '../../engine/decision';
import { OBJECT_TYPES, type TransitionKind } from '../../engine/state';
import type { CompiledModel } from '../../model';

/** One move the default model allows from a stage, as the engine or an admin command would record it. */
export interface AllowedMove {
  to: string;
  kind: TransitionKind;
  skipped: string[];
  reasonCodes: Array<string | null>;
}

/** Every move the model allows from `stage` (null: a record not yet in the lifecycle), derived from the model. */
export function allowedMoves(model: CompiledModel, stage: string | null): AllowedMove[] {
  const noReason = [null];
  if (stage === null) {
    // The entry rule, or an admin Fastpass that places a new record further down the path.
    return model.pathStages.map((target, rank) => ({
      to: target.id,
      kind: rank === 0 ? 'enter' : 'fastpass',
      skipped: model.pathStages.slice(0, rank).map((s) => s.id),
      reasonCodes: noReason,
    }));
  }
  const kind = model.stageById.get(stage)?.kind;
  const moves: AllowedMove[] = (model.rulesFrom.get(stage) ?? []).map((rule) => ({
    to: rule.to,
    kind: rule.kind,
    skipped: rule.skipped,
    reasonCodes: noReason,
  }));
  for (const rule of model.recycleRules) {
    if (rule.from.includes(stage)) moves.push({ to: rule.stage, kind: 'recycle', skipped: [], reasonCodes: rule.reasons.map((r) => r.code) });
  }
  const recycle = model.recycleByStage.get(stage);
  if (recycle) {
    moves.push({ to: recycle.returnTo, kind: 'return', skipped: [], reasonCodes: noReason });
    if (recycle.reengagement) moves.push({ to: recycle.reengagement.to, kind: 'reengage', skipped: [], reasonCodes: noReason });
  }
  if (model.deadEnd.from.has(stage) || kind === 'recycle') {
    moves.push({ to: model.deadEnd.stage, kind: 'dead_end', skipped: [], reasonCodes: model.deadEnd.reasons.map((r) => r.code) });
  }
  if (model.churn?.from.has(stage)) moves.push({ to: model.churn.stage, kind: 'churn', skipped: [], reasonCodes: noReason });
  if (kind === 'dead_end') moves.push({ to: model.entry.stage, kind: 'reopen', skipped: [], reasonCodes: noReason });
  return moves;
}

/** A walk as drawn numbers: which allowed move to take, and how many hours later (0 = the same instant). */
export interface WalkPlan {
  startHour: number;
  steps: Array<{ choice: number; gapHours: number }>;
}

export const HOUR_MS = 3_600_000;
export const WALK_EPOCH = Date.UTC(2025, 0, 1);

/**
 * Turns drawn numbers into valid ledger histories, one per plan. Record i is a contact or a company with id ⌊i/2⌋, so
 * a contact and a company share every id and must still count as two records.
 */
export function walkLedger(model: CompiledModel, plans: readonly WalkPlan[]): LedgerEntry[][] {
  return plans.map((plan, i) => {
    const objectType = OBJECT_TYPES[i % 2] ?? 'contact';
    const objectId = String(Math.floor(i / 2));
    let stage: string | null = null;
    let at = WALK_EPOCH + plan.startHour * HOUR_MS;
    return plan.steps.flatMap(({ choice, gapHours }, n): LedgerEntry[] => {
      const moves = allowedMoves(model, stage);
      const move = moves[choice % moves.length];
      if (!move) return [];
      at += gapHours * HOUR_MS;
      const entry: LedgerEntry = {
        transitionId: `${objectType}:${objectId}:${n}`,
        objectType,
        objectId,
        fromStage: stage,
        toStage: move.to,
        kind: move.kind,
        skipped: move.skipped,
        ruleId: `walk_${move.kind}`,
        reason: `walk ${move.kind}`,
        reasonCode: move.reasonCodes[choice % move.reasonCodes.length] ?? null,
        evidence: [],
        occurredAt: at,
        source: 'rules',
        actor: null,
      };
      stage = move.to;
      return [entry];
    });
  });
}

/**
 * Interleaves per-record histories in a random order that keeps each record's own order: every row gets a random
 * slot, then each record's rows are put back into the slots its rows drew, in their original sequence.
 */
export function interleave<T>(histories: readonly T[][], random: () => number): T[] {
  const tagged = histories.flatMap((rows, record) => rows.map((row) => ({ record, row, key: random() })));
  tagged.sort((a, b) => a.key - b.key);
  const queues = histories.map((rows) => [...rows]);
  return tagged.map(({ record }) => {
    const next = queues[record]?.shift();
    if (next === undefined) throw new Error('interleave lost a row');
    return next;
  });
}
