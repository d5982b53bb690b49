import type { LedgerEntry } from '../engine/decision';
import type { LifecycleState, TransitionKind } from '../engine/state';
import { dealAt, type RecordAt } from '../health/account-snapshot';
import { accountStageOf, pathPosition } from '../health/account-stage';
import type { Deal } from '../health/health-input';
import type { CompiledModel, CompiledStage } from '../model/model-types';

/** One contact of the company with its ledger rows, in ledger order (one record's same-instant moves keep it). */
export interface CompanyContact {
  contactId: string;
  rows: ReadonlyArray<{ toStage: string; occurredAt: number }>;
}

/** A deal of the company as its events describe it (see app/cards/account-health-input dealsFromEvents). */
export type CompanyDeal = Pick<Deal, 'id' | 'createdAt' | 'closedAt' | 'status'> & Partial<Pick<Deal, 'dealType' | 'amount'>>;

export interface CompanyJourneyInput {
  companyId: string;
  contacts: readonly CompanyContact[];
  deals: readonly CompanyDeal[];
}

/** Something that happened to one of the company's records at an instant: a contact row or a deal opening/closing. */
interface Cause {
  at: number;
  /** Sorts causes of one instant the same way whatever order the input listed them in. */
  order: string;
  evidence: string;
  reason: string;
  /** The stage this cause stands for, so the reason names the record that moved the account. */
  stageId: string | null;
}

const COMPANY_RULE = 'account_stage';

/**
 * The company's journey as ledger rows: the account stage (`accountStageOf`, the rule the company card uses) taken
 * after every instant at which a contact moved or a deal opened or closed, and one row each time it changes, dated
 * by that instant, its reason naming the contact or deal that caused it. A pure function of the rows and deals:
 * contacts and deals may be listed in any order (each contact's own rows in its ledger order), and the worker,
 * backfill and reconcile all call it, so they derive the same rows.
 */
export function companyJourney(input: CompanyJourneyInput, model: CompiledModel): LedgerEntry[] {
  const contacts = [...input.contacts].sort((a, b) => compare(a.contactId, b.contactId));
  const deals = [...input.deals].map(toDeal).sort((a, b) => compare(a.id, b.id));
  const causes = [...contactCauses(contacts, model), ...dealCauses(deals, model)].sort((a, b) => a.at - b.at || compare(a.order, b.order));

  const rows: LedgerEntry[] = [];
  const sweep = contactSweep(contacts);
  let current: CompiledStage | null = null;
  for (let i = 0; i < causes.length;) {
    const at = causes[i]!.at;
    const sameInstant: Cause[] = [];
    while (i < causes.length && causes[i]!.at === at) sameInstant.push(causes[i++]!);
    const next = accountStageOf(
      sweep.recordsAt(at, model),
      deals.flatMap((d) => dealAt(d, at) ?? []),
      model,
    );
    if (next === null || next.id === current?.id) continue;
    const cause = sameInstant.find((c) => c.stageId === next.id) ?? sameInstant[0]!;
    rows.push(companyRow(input.companyId, current, next, at, cause, model));
    current = next;
  }
  return rows;
}

/** The company state the journey's rows leave behind (as the engine keeps a contact's). */
export function companyStateAfter(companyId: string, rows: readonly LedgerEntry[], base: LifecycleState | null): LifecycleState {
  let state: LifecycleState = base ?? {
    objectType: 'company',
    objectId: companyId,
    stage: null,
    enteredAt: null,
    previousStage: null,
    lastTransitionKind: null,
    recycleCount: 0,
    lastRecycle: null,
    marketingPausedUntil: null,
    deadEndReason: null,
    deadEndRulesWaived: false,
  };
  for (const row of rows) {
    state = {
      ...state,
      stage: row.toStage,
      enteredAt: row.occurredAt,
      previousStage: row.fromStage,
      lastTransitionKind: row.kind,
      recycleCount: state.recycleCount + (row.kind === 'recycle' ? 1 : 0),
      lastRecycle: row.kind === 'recycle' ? { ruleId: row.ruleId, reason: row.reason, at: row.occurredAt, fromStage: row.fromStage ?? '', lostDealId: null } : state.lastRecycle,
      deadEndReason: row.kind === 'dead_end' ? row.reason : null,
    };
  }
  return state;
}

/**
 * The rows to append to a company ledger that already holds `stored` (in ledger order): the derived rows that come
 * after the last stored one. When a late fact changed the past (a contact row dated before the company's last
 * stored move), the stored rows stay (the ledger is append-only): the derived rows dated after it are appended, and
 * when they do not end where the derivation ends, one catch-up row dated at the last stored move brings the company
 * there. Each appended row starts from where the ledger stood, so the company's rows always chain.
 */
export function companyRowsToAppend(
  derived: readonly LedgerEntry[],
  stored: ReadonlyArray<Pick<LedgerEntry, 'transitionId' | 'toStage' | 'occurredAt'>>,
  model: CompiledModel,
): LedgerEntry[] {
  const last = stored.at(-1);
  if (!last) return [...derived];
  const position = derived.findIndex((r) => r.transitionId === last.transitionId);
  const later = position >= 0 ? derived.slice(position + 1) : derived.filter((r) => r.occurredAt > last.occurredAt);
  const appended: LedgerEntry[] = [];
  let at = last.toStage;
  for (const row of later) {
    if (row.toStage === at) continue;
    appended.push(row.fromStage === at ? row : rechain(row, at, `${row.transitionId}:from:${at}`, row.occurredAt, model));
    at = row.toStage;
  }
  const tail = derived.at(-1);
  if (!tail || tail.toStage === at) return appended;
  appended.push(rechain(tail, at, `${tail.transitionId}:after:${last.transitionId}`, Math.max(tail.occurredAt, last.occurredAt), model));
  return appended;
}

/** A derived row moved to start from another stage: its kind and skipped stages follow the new pair. */
function rechain(row: LedgerEntry, fromId: string, transitionId: string, occurredAt: number, model: CompiledModel): LedgerEntry {
  const from = model.stageById.get(fromId) ?? null;
  const to = model.stageById.get(row.toStage);
  if (!to) return { ...row, transitionId, fromStage: fromId, occurredAt };
  return { ...row, transitionId, fromStage: fromId, occurredAt, kind: transitionKind(from, to, model), skipped: skippedStages(from, to, model) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toDeal(d: CompanyDeal): Deal {
  return { id: d.id, createdAt: d.createdAt, closedAt: d.status === 'open' ? null : d.closedAt, status: d.status, dealType: d.dealType ?? null, amount: d.amount ?? null };
}

function contactCauses(contacts: readonly CompanyContact[], model: CompiledModel): Cause[] {
  return contacts.flatMap((c) =>
    c.rows.map((row, i) => {
      const label = model.stageById.get(row.toStage)?.label ?? row.toStage;
      return {
        at: row.occurredAt,
        order: `c:${c.contactId}:${String(i).padStart(8, '0')}`,
        evidence: `contact:${c.contactId}`,
        reason: `Contact ${c.contactId} moved to ${label}`,
        stageId: row.toStage,
      };
    }),
  );
}

function dealCauses(deals: readonly Deal[], model: CompiledModel): Cause[] {
  const won = model.pathStages.find((s) => model.customerStages.has(s.id)) ?? null;
  const wonRank = won ? (model.pathRank.get(won.id) ?? 0) : 0;
  const open = won && wonRank > 0 ? (model.pathStages[wonRank - 1] ?? null) : null;
  return deals.flatMap((d) => {
    const opened: Cause = { at: d.createdAt, order: `d:${d.id}:0`, evidence: `deal:${d.id}`, reason: `Deal ${d.id} was opened`, stageId: open?.id ?? null };
    if (d.closedAt === null || d.status === 'open') return [opened];
    const closed: Cause = {
      at: d.closedAt,
      order: `d:${d.id}:1`,
      evidence: `deal:${d.id}`,
      reason: d.status === 'won' ? `Deal ${d.id} was won` : `Deal ${d.id} was lost`,
      stageId: d.status === 'won' ? (won?.id ?? null) : null,
    };
    return [opened, closed];
  });
}

/**
 * Each contact's stage after every row dated ≤ `at` (the last of same-instant rows wins, as in stageAt), for
 * instants asked in increasing order: each contact's rows are sorted by date once (a stable sort, so same-instant
 * rows keep their ledger order) and a cursor per contact moves forward, so a derivation costs the contacts' rows
 * plus contacts × instants, not rows × instants. A contact whose latest row names a stage the model does not know
 * is left out, as before it reached the lifecycle.
 */
function contactSweep(contacts: readonly CompanyContact[]): { recordsAt(at: number, model: CompiledModel): RecordAt[] } {
  const sorted = contacts.map((c) => [...c.rows].sort((a, b) => a.occurredAt - b.occurredAt));
  const next = sorted.map(() => 0);
  return {
    recordsAt(at, model) {
      const records: RecordAt[] = [];
      sorted.forEach((rows, k) => {
        let i = next[k]!;
        while (i < rows.length && rows[i]!.occurredAt <= at) i++;
        next[k] = i;
        const latest = i > 0 ? rows[i - 1] : undefined;
        const stage = latest ? model.stageById.get(latest.toStage) : undefined;
        if (latest && stage) records.push({ stage, since: latest.occurredAt });
      });
      return records;
    },
  };
}

function transitionKind(from: CompiledStage | null, to: CompiledStage, model: CompiledModel): TransitionKind {
  if (from === null) return 'enter';
  if (to.kind === 'churned') return 'churn';
  if (to.kind === 'dead_end') return 'dead_end';
  if (from.kind === 'churned') return 'win_back';
  if (to.kind === 'recycle') return 'recycle';
  if (from.kind === 'dead_end') return 'reopen';
  if (from.kind === 'recycle') return 'return';
  const fromRank = pathPosition(from, model) ?? 0;
  const toRank = pathPosition(to, model) ?? 0;
  // Back down the path: the contact that carried the account further was recycled (or its deal lost).
  if (toRank < fromRank) return 'recycle';
  return toRank > fromRank + 1 ? 'fastpass' : 'advance';
}

/** Path stages strictly between two path stages of a forward jump: the account passed them by. */
function skippedStages(from: CompiledStage | null, to: CompiledStage, model: CompiledModel): string[] {
  if (from === null || from.kind !== 'path' || to.kind !== 'path') return [];
  const fromRank = model.pathRank.get(from.id) ?? 0;
  const toRank = model.pathRank.get(to.id) ?? 0;
  return model.pathStages.filter((s) => (model.pathRank.get(s.id) ?? 0) > fromRank && (model.pathRank.get(s.id) ?? 0) < toRank).map((s) => s.id);
}

function companyRow(companyId: string, from: CompiledStage | null, to: CompiledStage, at: number, cause: Cause, model: CompiledModel): LedgerEntry {
  return {
    transitionId: `company:${companyId}:${at}:${from?.id ?? ''}>${to.id}`,
    objectType: 'company',
    objectId: companyId,
    fromStage: from?.id ?? null,
    toStage: to.id,
    kind: transitionKind(from, to, model),
    skipped: skippedStages(from, to, model),
    ruleId: COMPANY_RULE,
    reason: cause.reason,
    reasonCode: null,
    evidence: [cause.evidence],
    occurredAt: at,
    source: 'rules',
    actor: null,
  };
}
