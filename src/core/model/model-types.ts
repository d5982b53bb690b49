import type { Criterion } from './criteria-schema';
import type { LifecycleModelDocument, Reason, StageKind } from './model-schema';

export type StageId = string;

export interface CompiledStage {
  id: StageId;
  label: string;
  kind: StageKind;
  order: number;
  slaDays: number | null;
  nativeStage: string | null;
  owner: string | null;
}

/** The kinds of move a stage-level or fastpass rule makes; detours have their own rule types. */
export type RuleMoveKind = 'advance' | 'fastpass' | 'return' | 'win_back';

export interface CompiledRule {
  id: string;
  from: StageId;
  to: StageId;
  when: Criterion;
  reason: string;
  kind: RuleMoveKind;
  /** Path stages bypassed by this move (a Fastpass), in path order. */
  skipped: StageId[];
}

export interface RecycleRule {
  id: string;
  label: string;
  stage: StageId;
  from: StageId[];
  when: Criterion;
  reasons: Reason[];
  defaultReason: string;
  reasonProperty: string | null;
  pauseDays: number;
  returnTo: StageId;
  reengagement: {
    when: Criterion;
    to: StageId;
    alertOwner: boolean;
    releasePause: boolean;
    taskPriority: 'HIGH' | 'MEDIUM' | 'LOW';
  } | null;
}

export interface CompiledModel {
  name: string;
  /**
   * The portal's stored model revision this was compiled from (per-portal models, migration 0009); absent for a model
   * file or the shipped default. The engine stamps it on every ledger row it writes, so a row names its rules.
   */
  revision?: number;
  /** The validated document, for display and for generating HubSpot property options. */
  document: LifecycleModelDocument;
  stages: CompiledStage[];
  stageById: ReadonlyMap<StageId, CompiledStage>;
  /** Success-path stages in order. */
  pathStages: CompiledStage[];
  pathRank: ReadonlyMap<StageId, number>;
  nativeProperty: string;
  nativeOrder: string[];
  nativeRank: ReadonlyMap<string, number>;
  nativeSync: 'always' | 'forward_only' | 'off';
  entry: { stage: StageId; when: Criterion; reason: string };
  rulesFrom: ReadonlyMap<StageId, CompiledRule[]>;
  recycleRules: RecycleRule[];
  recycleByStage: ReadonlyMap<StageId, RecycleRule>;
  /**
   * Every recycle rule's reasons, one per code (the first rule's label wins), in rule order: the reasons a recycle
   * command accepts, since the reason picks the rule. Compiled once for the engine, the card, the provisioned
   * property options and the workflow action's dropdown.
   */
  recycleReasons: Reason[];
  deadEnd: {
    stage: StageId;
    reasons: Reason[];
    from: ReadonlySet<StageId>;
    reasonProperty: string | null;
    rules: { id: string; when: Criterion; reason: string }[];
  };
  churn: { stage: StageId; from: ReadonlySet<StageId>; when: Criterion; reason: string } | null;
  customerStages: ReadonlySet<StageId>;
  health: LifecycleModelDocument['health'];
}
