import type { FunnelReport, StageReport } from '../../core';

export interface Figure {
  current: number | null;
  whatIf: number | null;
  /** whatIf − current; null when either side has no figure. */
  delta: number | null;
}

export interface StageComparison {
  stageId: string;
  label: string;
  flowIn: Figure;
  /** Stock at period end. */
  ending: Figure;
  /** Conversion to the next path stage; null for stages without one. */
  cvr: Figure;
}

const figure = (current: number | null, whatIf: number | null): Figure => ({ current, whatIf, delta: current === null || whatIf === null ? null : whatIf - current });

/**
 * The current ledger's funnel next to the what-if's, stage by stage. Stages of either model are listed (the what-if
 * model first, in its order), so a stage one model lacks shows as absent on that side rather than disappearing.
 */
export function compareFunnels(current: FunnelReport, whatIf: FunnelReport): StageComparison[] {
  const currentById = new Map(current.stages.map((s) => [s.stageId, s]));
  const whatIfById = new Map(whatIf.stages.map((s) => [s.stageId, s]));
  const ids = [...new Set([...whatIf.stages.map((s) => s.stageId), ...current.stages.map((s) => s.stageId)])];
  return ids.map((stageId) => {
    const c: StageReport | undefined = currentById.get(stageId);
    const w: StageReport | undefined = whatIfById.get(stageId);
    return {
      stageId,
      label: (w ?? c)!.label,
      flowIn: figure(c?.flowIn ?? null, w?.flowIn ?? null),
      ending: figure(c?.ending ?? null, w?.ending ?? null),
      cvr: figure(c?.cvr?.rate ?? null, w?.cvr?.rate ?? null),
    };
  });
}
