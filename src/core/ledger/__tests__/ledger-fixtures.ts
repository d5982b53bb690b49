import type { LedgerEntry } from '../../engine/decision';
import type { ObjectType, TransitionKind } from '../../engine/state';
import { DAY_MS } from '../../engine/time';
import { defaultModel } from '../../model';

/** 2025-01-01T00:00Z: day 0 of every hand-written history. */
export const T0 = Date.UTC(2025, 0, 1);
export const day = (n: number): number => T0 + n * DAY_MS;

export interface HistoryStep {
  to: string;
  /** Days after T0. */
  at: number;
  /** Default: `enter` for the first step, `advance` after. */
  kind?: TransitionKind;
  reasonCode?: string;
  /** Default for a `fastpass`: the path stages between where the record was and `to`. */
  skipped?: string[];
}

/** The ledger rows of one record's history, shaped exactly as the engine appends them. */
export function history(objectId: string, steps: HistoryStep[], objectType: ObjectType = 'contact'): LedgerEntry[] {
  const model = defaultModel();
  const rank = (id: string | null) => (id === null ? -1 : (model.pathRank.get(id) ?? -1));
  let from: string | null = null;
  return steps.map((step, i) => {
    const kind = step.kind ?? (i === 0 ? 'enter' : 'advance');
    const skipped = step.skipped ?? (kind === 'fastpass' ? model.pathStages.slice(rank(from) + 1, rank(step.to)).map((s) => s.id) : []);
    const entry: LedgerEntry = {
      transitionId: `${objectType}:${objectId}:${day(step.at)}:${from ?? 'none'}>${step.to}`,
      objectType,
      objectId,
      fromStage: from,
      toStage: step.to,
      kind,
      skipped,
      ruleId: `test_${kind}`,
      reason: `test ${kind}`,
      reasonCode: step.reasonCode ?? null,
      evidence: [],
      occurredAt: day(step.at),
      source: 'rules',
      actor: null,
    };
    from = step.to;
    return entry;
  });
}

/** `count` records with the same history, ids `${prefix}-0`, `${prefix}-1`, … */
export function many(count: number, prefix: string, steps: HistoryStep[]): LedgerEntry[] {
  return Array.from({ length: count }, (_, i) => history(`${prefix}-${i}`, steps)).flat();
}
