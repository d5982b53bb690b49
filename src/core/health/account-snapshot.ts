import type { CompiledModel, CompiledStage } from '../model/model-types';
import type { ChurnSignal, Deal, Engagement, ParsedAccountHealthInput, RecordLifecycle, SatisfactionAnswer } from './health-input';

/** Where one record stood at an instant. `since` is null when the record's entry time is unknown. */
export interface RecordAt {
  stage: CompiledStage;
  since: number | null;
}

/** The account as it stood at `at`: the one view every component scores, for now and for the trend alike. */
export interface AccountSnapshot {
  at: number;
  /** Contacts in the lifecycle at `at`, in input order. */
  contacts: RecordAt[];
  company: RecordAt | null;
  /** Deals that existed at `at`, with the status they had then. */
  deals: Deal[];
  latestEngagement: Engagement | null;
  satisfaction: SatisfactionAnswer[];
  churnSignals: ChurnSignal[];
}

/**
 * A record's stage at `at`. The current state answers when it was entered by then; otherwise the latest ledger
 * row dated ≤ `at` does (the same rule as the ledger's stockAt). A record with no such row was not in the
 * lifecycle yet, unless its state has no entry time at all: then nothing says it was ever elsewhere.
 */
export function stageAt(record: RecordLifecycle, at: number): { stage: string | null; since: number | null } {
  const { state, history } = record;
  if (state.stage !== null && state.enteredAt !== null && state.enteredAt <= at) {
    return { stage: state.stage, since: state.enteredAt };
  }
  let latest: RecordLifecycle['history'][number] | undefined;
  // `>=` keeps the later of same-instant rows: the ledger is appended in the order one record's moves happened.
  for (const row of history) if (row.occurredAt <= at && (!latest || row.occurredAt >= latest.occurredAt)) latest = row;
  if (latest) return { stage: latest.toStage, since: latest.occurredAt };
  if (state.stage !== null && state.enteredAt === null) return { stage: state.stage, since: null };
  return { stage: null, since: null };
}

/** A stage id the model does not know (e.g. removed from the portal's model) cannot be scored, so it is left out. */
function recordAt(record: RecordLifecycle, at: number, model: CompiledModel): RecordAt | null {
  const { stage, since } = stageAt(record, at);
  const compiled = stage === null ? undefined : model.stageById.get(stage);
  return compiled ? { stage: compiled, since } : null;
}

/** A deal as it stood at `at`: absent before it was created, open until it closed. */
export function dealAt(deal: Deal, at: number): Deal | null {
  if (deal.createdAt > at) return null;
  if (deal.closedAt !== null && deal.closedAt > at) return { ...deal, status: 'open', closedAt: null };
  return deal;
}

export function snapshotAt(input: ParsedAccountHealthInput, model: CompiledModel, at: number): AccountSnapshot {
  const known = <T extends { at: number }>(items: readonly T[]) => items.filter((item) => item.at <= at);
  let latestEngagement: Engagement | null = null;
  for (const e of known(input.engagement)) if (!latestEngagement || e.at > latestEngagement.at) latestEngagement = e;
  return {
    at,
    contacts: input.contacts.map((c) => recordAt(c, at, model)).filter((c): c is RecordAt => c !== null),
    company: input.company ? recordAt(input.company, at, model) : null,
    deals: input.deals.map((d) => dealAt(d, at)).filter((d): d is Deal => d !== null),
    latestEngagement,
    satisfaction: known(input.satisfaction),
    churnSignals: known(input.churnSignals),
  };
}
