import type { ContactLifecycleView, RecycleState, TimeInStage } from '../../contracts/card-api';
import { DAY_MS, isoTime, type CompiledModel, type LifecycleState } from '../../core';
import type { PortalId, Store } from '../ports/store-ports';
import { allowedActions } from './allowed-actions';
import { newestFirst, reasonRef, stageRef } from './card-refs';
import { suggestedAction } from './suggested-action';

export interface CardReadDeps {
  store: Pick<Store, 'states' | 'ledger'>;
  model: CompiledModel;
}

/**
 * The contact card: where the contact stands, for how long, why, and what the admin may do — from our state and
 * ledger only (two indexed reads of one record), never from HubSpot, so the card answers within hubspot.fetch's
 * budget whatever HubSpot's rate limits are doing.
 */
export async function getContactView(deps: CardReadDeps, portalId: PortalId, contactId: string, now: number): Promise<ContactLifecycleView> {
  const key = { objectType: 'contact' as const, objectId: contactId };
  const [stored, history] = await Promise.all([deps.store.states.get(portalId, key), deps.store.ledger.history(portalId, key)]);
  const state = stored?.state;
  if (!state || state.stage === null) return { synced: false, objectId: contactId };
  const { model } = deps;
  const enteredAt = state.enteredAt ?? history.at(-1)?.occurredAt ?? now;
  const stage = stageRef(model, state.stage);
  const time = timeInStage(state.stage, enteredAt, model, now);
  const allowed = allowedActions(state, model);
  return {
    synced: true,
    objectId: contactId,
    stage,
    path: model.pathStages.map((s) => stageRef(model, s.id)),
    stageEnteredAt: isoTime(enteredAt),
    timeInStage: time,
    recycle: recycleState(state, model, now),
    deadEndReason: model.stageById.get(state.stage)?.kind === 'dead_end' && state.deadEndReason ? reasonRef(model, state.deadEndReason) : null,
    history: newestFirst(model, history),
    allowedActions: allowed,
    suggestedAction: suggestedAction(stage, time, allowed),
  };
}

function timeInStage(stageId: string, enteredAt: number, model: CompiledModel, now: number): TimeInStage {
  // One decimal: "2.5 days" is what a user reads; the clock can be slightly behind a just-dated transition.
  const days = Math.max(0, Math.round(((now - enteredAt) / DAY_MS) * 10) / 10);
  const slaDays = model.stageById.get(stageId)?.slaDays ?? null;
  // Same rule as the ledger's SLA counts: exactly slaDays in the stage is still within.
  return { days, sla: slaDays === null ? null : { days: slaDays, status: now - enteredAt > slaDays * DAY_MS ? 'breached' : 'within' } };
}

function recycleState(state: LifecycleState, model: CompiledModel, now: number): RecycleState | null {
  if (!state.lastRecycle || state.recycleCount < 1) return null;
  const pausedUntil = state.marketingPausedUntil !== null && state.marketingPausedUntil > now ? state.marketingPausedUntil : null;
  return {
    reason: reasonRef(model, state.lastRecycle.reason),
    count: state.recycleCount,
    marketingPausedUntil: pausedUntil === null ? null : isoTime(pausedUntil),
    pauseDaysLeft: pausedUntil === null ? null : Math.ceil((pausedUntil - now) / DAY_MS),
  };
}
