import type { LifecycleState } from '../engine/state';
import type { CompiledModel, CompiledStage } from '../model/model-types';
import type { RecordAt } from './account-snapshot';
import type { Deal } from './health-input';

/**
 * The success-path rank a stage stands for: a path stage its own rank; a recycle detour the rank of the stage it
 * returns to (that is where the record is heading); dead end and churned none, they are off the path.
 */
export function pathPosition(stage: CompiledStage, model: CompiledModel): number | null {
  if (stage.kind === 'path') return model.pathRank.get(stage.id) ?? null;
  if (stage.kind === 'recycle') {
    const returnTo = model.recycleByStage.get(stage.id)?.returnTo;
    return (returnTo === undefined ? undefined : model.pathRank.get(returnTo)) ?? 0;
  }
  return null;
}

/**
 * The path stages deals stand for: an open deal is the stage just before the first customer stage (Opportunity in
 * the default model), a won deal the first customer stage. A model without customer stages maps no deal.
 */
function dealStages(model: CompiledModel): { open: CompiledStage | null; won: CompiledStage | null } {
  const won = model.pathStages.find((s) => model.customerStages.has(s.id)) ?? null;
  const wonRank = won ? (model.pathRank.get(won.id) ?? 0) : 0;
  return { open: won && wonRank > 0 ? (model.pathStages[wonRank - 1] ?? null) : null, won };
}

interface Candidate {
  stage: CompiledStage;
  position: number;
}

/**
 * Further along the path wins. At the same rank the path stage itself wins over a detour heading back to it, and
 * between two detours the later one in model order, so the answer never depends on the order records are listed.
 */
function isAhead(c: Candidate, best: Candidate): boolean {
  if (c.position !== best.position) return c.position > best.position;
  const cPath = c.stage.kind === 'path';
  const bestPath = best.stage.kind === 'path';
  if (cPath !== bestPath) return cPath;
  return c.stage.order > best.stage.order;
}

/** Internal form over records already resolved to model stages (see `accountStage` for the rules). */
export function accountStageOf(records: readonly RecordAt[], deals: readonly Deal[], model: CompiledModel): CompiledStage | null {
  const churned = records.filter((r) => r.stage.kind === 'churned');
  const allCustomersChurned = churned.length > 0 && !records.some((r) => model.customerStages.has(r.stage.id));
  // An undated churn is taken as the latest event: no deal can prove it was won back.
  const churnedAt = allCustomersChurned ? Math.max(...churned.map((r) => r.since ?? Infinity)) : -Infinity;
  const speaksForAccount = (d: Deal) => (d.status === 'won' ? (d.closedAt ?? d.createdAt) > churnedAt : d.status === 'open' && d.createdAt > churnedAt);
  const liveDeals = deals.filter(speaksForAccount);
  const churnedStage = churned[0]?.stage;
  if (churnedStage && allCustomersChurned && liveDeals.length === 0) return churnedStage;

  const candidates: Candidate[] = [];
  for (const r of records) {
    const position = pathPosition(r.stage, model);
    if (position !== null) candidates.push({ stage: r.stage, position });
  }
  const mapped = dealStages(model);
  for (const d of liveDeals) {
    const stage = d.status === 'won' ? mapped.won : mapped.open;
    if (stage) candidates.push({ stage, position: model.pathRank.get(stage.id) ?? 0 });
  }
  let best: Candidate | null = null;
  for (const c of candidates) if (!best || isAhead(c, best)) best = c;
  if (best) return best.stage;
  return records.find((r) => r.stage.kind === 'dead_end')?.stage ?? null;
}

/**
 * The account's unified journey stage (ABM view): the most advanced stage among its records (contacts and the
 * company) and its deals, by path rank. An open deal counts as Opportunity and a won deal as Customer at least.
 * The account is churned when it had customers and all of them churned, unless a deal was opened or won after
 * that (a win-back); dead end when every record is dead end; null when nothing is in the lifecycle.
 * Records in stages the model does not know are left out.
 */
export function accountStage(records: ReadonlyArray<Pick<LifecycleState, 'stage' | 'enteredAt'>>, deals: readonly Deal[], model: CompiledModel): CompiledStage | null {
  const resolved: RecordAt[] = [];
  for (const r of records) {
    const stage = r.stage === null ? undefined : model.stageById.get(r.stage);
    if (stage) resolved.push({ stage, since: r.enteredAt });
  }
  return accountStageOf(resolved, deals, model);
}
