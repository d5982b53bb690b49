import type { FunnelReport, ReportStageKind, StageReport } from '../../../core/ledger';

/**
 * One line of the flow/stock table. `stage` lines carry a stage's balances and flows; `reason` lines break a
 * detour's inflow down by reason code (Recycle A/B why, Dead end who), so they only have `flowIn`.
 */
export interface FlowStockRow {
  line: 'stage' | 'reason';
  stageId: string;
  /** The stage label, or the reason code on a reason line. */
  label: string;
  kind: ReportStageKind;
  beginning: number | null;
  flowIn: number;
  flowOut: number | null;
  ending: number | null;
  /** Path stages: conversion to a later path stage. Recycle stages: conversion back onto the path. */
  cvr: number | null;
  /** Of the conversions, those made by a Fastpass (a skip, still a conversion). */
  fastpassed: number | null;
  /** Fastpass moves that bypassed this stage (neither flow nor conversion of it). */
  skippedThrough: number | null;
  medianDays: number | null;
  slaDue: number | null;
  slaPastDue: number | null;
}

export const FLOW_STOCK_COLUMNS = ['beginning', 'flowIn', 'flowOut', 'ending', 'cvr', 'fastpassed', 'skippedThrough', 'medianDays', 'slaDue', 'slaPastDue'] as const satisfies ReadonlyArray<
  keyof FlowStockRow
>;

/** The success path first, then each detour followed by its reasons. */
export function flowStockRows(report: FunnelReport): FlowStockRow[] {
  const detourById = new Map(report.detours.map((d) => [d.stageId, d]));
  return report.stages.flatMap((stage) => {
    const detour = detourById.get(stage.stageId);
    const row = stageRow(stage, detour ? detour.returnCvr.rate : (stage.cvr?.rate ?? null));
    if (detour) return [row, ...reasonRows(stage, detour.enteredByReason)];
    if (stage.kind === 'dead_end') return [row, ...reasonRows(stage, report.deadEndsByReason)];
    return [row];
  });
}

function stageRow(stage: StageReport, cvr: number | null): FlowStockRow {
  return {
    line: 'stage',
    stageId: stage.stageId,
    label: stage.label,
    kind: stage.kind,
    beginning: stage.beginning,
    flowIn: stage.flowIn,
    flowOut: stage.flowOut,
    ending: stage.ending,
    cvr,
    fastpassed: stage.cvr ? stage.cvr.fastpassed : null,
    skippedThrough: stage.kind === 'path' ? stage.skippedThrough : null,
    medianDays: stage.velocity.medianDays,
    slaDue: stage.sla ? stage.sla.due : null,
    slaPastDue: stage.sla ? stage.sla.pastDue : null,
  };
}

function reasonRows(stage: StageReport, counts: Record<string, number>): FlowStockRow[] {
  return Object.entries(counts).map(([reason, entered]) => ({
    line: 'reason',
    stageId: stage.stageId,
    label: reason,
    kind: stage.kind,
    beginning: null,
    flowIn: entered,
    flowOut: null,
    ending: null,
    cvr: null,
    fastpassed: null,
    skippedThrough: null,
    medianDays: null,
    slaDue: null,
    slaPastDue: null,
  }));
}
