import type { LifecycleState, ObjectType, TransitionKind } from './state';

/** One move of a record between stages, with the evidence that justified it. */
export interface Step {
  from: string | null;
  to: string;
  kind: TransitionKind;
  /** When the move happened: the moment its criterion became true (not when we noticed). */
  at: number;
  ruleId: string;
  /** Human-readable reason from the model ("A deal was opened"). */
  reason: string;
  /** Reason code for detours (recycle, dead end) from the model's taxonomy. */
  reasonCode: string | null;
  /** Path stages bypassed by a Fastpass. */
  skipped: string[];
  /** The facts that met the criterion, for the card and the audit trail. */
  evidence: string[];
  /** For a Recycle B: the lost deal behind it. */
  lostDealId?: string | null;
}

/** An append-only ledger row: the durable record of a Step. */
export interface LedgerEntry {
  transitionId: string;
  objectType: ObjectType;
  objectId: string;
  fromStage: string | null;
  toStage: string;
  kind: TransitionKind;
  skipped: string[];
  ruleId: string;
  reason: string;
  reasonCode: string | null;
  evidence: string[];
  occurredAt: number;
  source: 'rules' | 'command';
  actor: string | null;
  /** The model revision that decided this move (CompiledModel.revision); absent when the model was not a stored revision. */
  modelRevision?: number;
}

/** Effects are data; the shell carries them out (HubSpot writes, pauses, tasks, ledger rows). */
export type Effect =
  | { type: 'set_properties'; properties: Record<string, string> }
  | {
      type: 'set_native_stage';
      property: string;
      value: string;
      /** HubSpot's lifecyclestage only moves forward: a backward move is a clear, then a set. */
      clearFirst: boolean;
    }
  | { type: 'pause_marketing'; until: number; reason: string }
  | { type: 'release_marketing_pause' }
  | {
      type: 'notify_owner';
      ownerId: string | null;
      subject: string;
      body: string;
      priority: 'HIGH' | 'MEDIUM' | 'LOW';
      dueAt: number;
      context: {
        recycledAt: number;
        recycleReason: string;
        fromStage: string;
        lostDealId: string | null;
        evidence: string[];
      };
    }
  | { type: 'append_ledger'; entry: LedgerEntry };

export type DecisionKind = TransitionKind | 'none';

export interface Decision {
  /** The last move's kind, or none. */
  kind: DecisionKind;
  from: string | null;
  to: string | null;
  /** Every stage bypassed by Fastpass moves in this decision. */
  skipped: string[];
  /** The moves in the order they happened (a batch of facts can carry a record through several stages). */
  steps: Step[];
  /** One human-readable line per move. */
  reasons: string[];
  effects: Effect[];
  /** The record's state after the decision. */
  state: LifecycleState;
  /** The next instant a time-based rule (stall, pause end) can fire without new facts, or null. */
  wakeAt: number | null;
  /** Set when an admin command was refused, saying why. */
  refusal: string | null;
}
