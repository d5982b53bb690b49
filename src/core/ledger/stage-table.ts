import type { CompiledModel } from '../model/model-types';
import type { StageKind } from '../model/model-schema';
import { DAY_MS } from '../engine/time';
import type { LedgerRow } from './ledger-row';

/** `unmodelled`: a stage the ledger names but the model no longer has (renamed or removed by an admin). */
export type ReportStageKind = StageKind | 'unmodelled';

export interface StageRef {
  stageId: string;
  label: string;
  kind: ReportStageKind;
}

/** The stages a report covers, each with a dense index so the sweeps count into flat arrays. */
export interface StageTable {
  refs: StageRef[];
  indexOf: ReadonlyMap<string, number>;
  /** Position on the success path per stage index; -1 off the path. */
  pathRank: number[];
  /** SLA per stage index in milliseconds, or null for stages without one. */
  slaMs: Array<number | null>;
  slaDays: Array<number | null>;
}

/**
 * Path stages in path order, then the detours by their model order, then stages only the ledger knows, by id.
 * Unmodelled stages are kept rather than dropped so that stock never silently disappears from the totals after a
 * model change; sorting them by id keeps the report independent of the ledger's row order.
 */
export function stageTable(model: CompiledModel, rows: readonly LedgerRow[]): StageTable {
  const named = new Set<string>();
  for (const row of rows) {
    named.add(row.toStage);
    for (const id of row.skipped) named.add(id);
  }
  return stageTableFor(model, named);
}

/** The same table from the stage ids a ledger names (its rows' `toStage` and `skipped`), e.g. read off aggregates. */
export function stageTableFor(model: CompiledModel, namedStages: Iterable<string>): StageTable {
  const pathIds = new Set(model.pathStages.map((s) => s.id));
  const detours = model.stages.filter((s) => !pathIds.has(s.id)).sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  const modelled = [...model.pathStages, ...detours];
  const known = new Set(modelled.map((s) => s.id));
  const unmodelled = new Set<string>();
  for (const id of namedStages) if (!known.has(id)) unmodelled.add(id);

  const refs: StageRef[] = [
    ...modelled.map((s) => ({ stageId: s.id, label: s.label, kind: s.kind })),
    ...[...unmodelled].sort().map((id) => ({ stageId: id, label: id, kind: 'unmodelled' as const })),
  ];
  const slaDays = refs.map((ref) => model.stageById.get(ref.stageId)?.slaDays ?? null);
  return {
    refs,
    indexOf: new Map(refs.map((ref, i) => [ref.stageId, i])),
    pathRank: refs.map((ref) => model.pathRank.get(ref.stageId) ?? -1),
    slaDays,
    slaMs: slaDays.map((days) => (days === null ? null : days * DAY_MS)),
  };
}
