import type { FunnelReport, RecycleDetourReport, StageReport } from '../report-types';

/** The named stage's row of a report; a missing stage fails the test that asked for it. */
export function stageOf(report: FunnelReport, stageId: string): StageReport {
  const found = report.stages.find((s) => s.stageId === stageId);
  if (!found) throw new Error(`no stage "${stageId}" in the report`);
  return found;
}

export function detourOf(report: FunnelReport, stageId: string): RecycleDetourReport {
  const found = report.detours.find((d) => d.stageId === stageId);
  if (!found) throw new Error(`no detour "${stageId}" in the report`);
  return found;
}
