import type { DealImpact, DealImpactView, StageRef } from '../../contracts/card-api';
import { accountStage, DAY_MS, evaluate, recordKeyString, type CompiledModel, type Deal, type FactEvent, type LifecycleState } from '../../core';
import type { PortalId } from '../ports/store-ports';
import { dealsFromEvents, type StoredRecord } from './account-health-input';
import { associationsRead } from './association-refresher';
import type { AccountCardDeps } from './get-company-view';
import { stageRef } from './card-refs';
import { loadStoredRecords } from './load-stored-records';

interface Projection {
  stage: string | null;
  pauseDays: number | null;
}

/**
 * The deal card: what winning or losing this deal does to its account and to each associated contact. The answer
 * is the engine's own: each contact's stored state and activity, plus the hypothetical deal_won or deal_lost event,
 * evaluated now — so the card cannot disagree with what the worker will do when the deal closes. Read from the
 * store only (associations kept fresh in the background); not synced while the deal's contacts were never read.
 */
export async function getDealImpact(deps: AccountCardDeps, portalId: PortalId, dealId: string, now: number): Promise<DealImpactView> {
  const { model, store } = deps;
  const key = { objectType: 'deal' as const, objectId: dealId };
  const { associated, refreshedAt } = await store.associations.list(portalId, key);
  deps.refresher.refreshIfStale(portalId, key, refreshedAt);
  if (!associationsRead('deal', refreshedAt)) return { synced: false, objectId: dealId };

  const contacts = associated.filter((a) => a.objectType === 'contact');
  const records = await loadStoredRecords(
    store,
    portalId,
    contacts.map((c) => ({ objectType: c.objectType, objectId: c.objectId })),
  );
  const stored = (id: string) => records.get(recordKeyString({ objectType: 'contact', objectId: id })) ?? null;
  const allEvents = [...records.values()].flatMap((r) => r.events);
  const ofThisDeal = allEvents.filter((e) => e.attrs?.['dealId'] === dealId);
  const dealType = ofThisDeal.find((e) => typeof e.attrs?.['dealType'] === 'string')?.attrs?.['dealType'] ?? null;
  const won: FactEvent = { type: 'deal_won', at: now, attrs: { dealId, dealType } };
  const lost: FactEvent = { type: 'deal_lost', at: now, attrs: { dealId, dealType, reason: null } };

  const contactImpacts = contacts.map((c) => {
    const record = stored(c.objectId);
    return { record, win: project(record, won, model, now), loss: project(record, lost, model, now), label: c.label, id: c.objectId };
  });
  const impacts: DealImpact[] = [];
  const company = associated.find((a) => a.objectType === 'company');
  if (company) {
    const otherDeals = dealsFromEvents(allEvents).filter((d) => d.id !== dealId);
    const states = (pick: (i: (typeof contactImpacts)[number]) => Pick<LifecycleState, 'stage' | 'enteredAt'> | null) => contactImpacts.flatMap((i) => pick(i) ?? []);
    const current = accountStage(
      states((i) => i.record?.state ?? null),
      dealsFromEvents(allEvents),
      model,
    );
    const afterWin = accountStage(
      states((i) => ({ stage: i.win.stage, enteredAt: now })),
      [...otherDeals, closedDeal(dealId, 'won', now)],
      model,
    );
    const afterLoss = accountStage(
      states((i) => ({ stage: i.loss.stage, enteredAt: now })),
      [...otherDeals, closedDeal(dealId, 'lost', now)],
      model,
    );
    const pauses = contactImpacts.flatMap((i) => (i.loss.pauseDays === null ? [] : [i.loss.pauseDays]));
    impacts.push({
      subject: { type: 'account', id: company.objectId, name: company.label },
      current: current ? stageRef(model, current.id) : null,
      afterWin: afterWin ? stageRef(model, afterWin.id) : fallbackWin(model),
      afterLoss: { stage: afterLoss ? stageRef(model, afterLoss.id) : fallbackLoss(model), pauseDays: pauses.length > 0 ? Math.max(...pauses) : null },
    });
  }
  for (const i of contactImpacts) {
    const current = i.record?.state.stage ?? null;
    impacts.push({
      subject: { type: 'contact', id: i.id, name: i.label },
      current: current === null ? null : stageRef(model, current),
      afterWin: i.win.stage === null ? fallbackWin(model) : stageRef(model, i.win.stage),
      afterLoss: { stage: i.loss.stage === null ? fallbackLoss(model) : stageRef(model, i.loss.stage), pauseDays: i.loss.pauseDays },
    });
  }
  return { synced: true, objectId: dealId, outcome: outcomeOf(ofThisDeal), impacts };
}

/** The engine's decision on the stored facts plus the hypothetical close (properties are not stored: none apply). */
function project(record: StoredRecord | null, close: FactEvent, model: CompiledModel, now: number): Projection {
  if (!record || record.state.stage === null) return { stage: null, pauseDays: null };
  const decision = evaluate(record.state, { properties: {}, events: [...record.events, close], observedAt: now }, model, now);
  const pause = decision.effects.find((e) => e.type === 'pause_marketing');
  return { stage: decision.state.stage, pauseDays: pause?.type === 'pause_marketing' ? Math.round((pause.until - now) / DAY_MS) : null };
}

function closedDeal(id: string, status: 'won' | 'lost', now: number): Deal {
  return { id, createdAt: now, closedAt: now, status, dealType: null, amount: null };
}

/** A record not in the lifecycle yet: a win makes it a customer (the first customer stage), a loss leaves it at entry. */
function fallbackWin(model: CompiledModel): StageRef {
  const customer = model.pathStages.find((s) => model.customerStages.has(s.id)) ?? model.pathStages.at(-1)!;
  return stageRef(model, customer.id);
}

function fallbackLoss(model: CompiledModel): StageRef {
  return stageRef(model, model.entry.stage);
}

function outcomeOf(events: readonly FactEvent[]): 'won' | 'lost' | null {
  const close = events
    .filter((e) => e.type === 'deal_won' || e.type === 'deal_lost')
    .sort((a, b) => a.at - b.at)
    .at(-1);
  return close ? (close.type === 'deal_won' ? 'won' : 'lost') : null;
}
