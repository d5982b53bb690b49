import type { CompiledModel, CompiledStage } from './model-types';

/** One option of the portal's native stage property, as HubSpot lists it (display order = the portal's pipeline). */
export interface NativeStageOption {
  value: string;
  label: string;
}

export interface NativeStageAlignment {
  model: CompiledModel;
  /** One sentence per model stage whose native stage the portal does not have; empty when the model fits. */
  problems: string[];
}

/**
 * Fits a compiled model to one portal's own `lifecyclestage` options. Admins reorder, add (numeric ids) and delete
 * lifecycle stages, so the order written in a model file is only a guess: the portal's order decides whether a
 * native move is forward (a plain set) or backward (clear, then set), and a stage mapped to an option the portal
 * lacks must not write it (HubSpot would reject the whole write). Such stages keep working on our own `lc_*`
 * properties; the problem is returned for the caller to alert on, never thrown.
 */
export function alignNativeStages(model: CompiledModel, portalOptions: readonly NativeStageOption[]): NativeStageAlignment {
  const nativeOrder = [...new Set(portalOptions.map((o) => o.value))];
  const offered = new Set(nativeOrder);
  // With sync off we never write the native property, so a missing option is nobody's problem.
  const missing = (stage: CompiledStage) => model.nativeSync !== 'off' && stage.nativeStage !== null && !offered.has(stage.nativeStage);

  const problems = model.stages
    .filter(missing)
    .map((s) => `stage "${s.id}" maps to ${model.nativeProperty} "${s.nativeStage}", which this portal does not have: ` + `records in it keep HubSpot's ${model.nativeProperty} unchanged`);
  const stages = model.stages.map((s) => (missing(s) ? { ...s, nativeStage: null } : s));
  const stageById = new Map(stages.map((s) => [s.id, s]));
  const document = {
    ...model.document,
    native: { ...model.document.native, order: nativeOrder },
    stages: model.document.stages.map((s) => ({ ...s, nativeStage: stageById.get(s.id)?.nativeStage ?? null })),
  };
  return {
    model: {
      ...model,
      document,
      stages,
      stageById,
      pathStages: model.pathStages.map((s) => stageById.get(s.id)!),
      nativeOrder,
      nativeRank: new Map(nativeOrder.map((value, i) => [value, i])),
    },
    problems,
  };
}
