import type { Reason, StageRef, Transition } from '../../contracts/card-api';
import { isoTime, type CompiledModel, type LedgerEntry } from '../../core';

/**
 * A stage as the cards show it. A stage id the model no longer knows (the admin removed it; old ledger rows keep
 * it) still renders, under its id, as a path stage: the history must not break because the model changed.
 */
export function stageRef(model: CompiledModel, id: string): StageRef {
  const stage = model.stageById.get(id);
  return stage ? { id: stage.id, label: stage.label, kind: stage.kind } : { id, label: id, kind: 'path' };
}

/** A reason code with its label from the model's taxonomies (recycle rules and dead end); unknown codes show as is. */
export function reasonRef(model: CompiledModel, code: string): Reason {
  const known = [...model.recycleRules.flatMap((r) => r.reasons), ...model.deadEnd.reasons].find((r) => r.code === code);
  return { code, label: known?.label ?? code };
}

export function toTransition(model: CompiledModel, entry: LedgerEntry): Transition {
  return {
    at: isoTime(entry.occurredAt),
    from: entry.fromStage === null ? null : stageRef(model, entry.fromStage),
    to: stageRef(model, entry.toStage),
    kind: entry.kind,
    reason: entry.reason,
    skipped: entry.skipped.map((id) => stageRef(model, id)),
  };
}

/**
 * Newest first, capped: hubspot.fetch refuses responses over 1 MB, and a card shows the recent moves anyway. A
 * ledger row renders to ~400 bytes, so 500 rows stay far below the cap with room for the rest of the view.
 */
export const MAX_CARD_TRANSITIONS = 500;

export function newestFirst(model: CompiledModel, entries: readonly LedgerEntry[]): Transition[] {
  return entries
    .slice(-MAX_CARD_TRANSITIONS)
    .reverse()
    .map((e) => toTransition(model, e));
}
