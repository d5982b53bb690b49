import type { ContactAction, ContactActionRequest, ContactActionResult } from '../../contracts/card-api';
import { isoTime, type Command, type CompiledModel, type Decision } from '../../core';
import { decideRecordNow } from '../pipeline/decide-record-now';
import type { Clock } from '../ports/clock';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';
import { getContactView } from './get-contact-view';

export interface ContactActionDeps {
  store: Store;
  hubspot: HubSpotPort;
  model: CompiledModel;
  clock: Clock;
}

export type ContactActionOutcome = { outcome: 'answered'; result: ContactActionResult } | { outcome: 'not_found' } | { outcome: 'busy' };

export function commandFor<A extends ContactAction>(action: A, request: ContactActionRequest[A]): Command {
  if (action === 'fastpass') return { type: 'fastpass', to: (request as ContactActionRequest['fastpass']).to };
  const { reason } = request as ContactActionRequest['recycle'];
  return action === 'recycle' ? { type: 'recycle', reason } : { type: 'dead_end', reason };
}

/**
 * A button on the contact card: the admin's command decided now by the engine on fresh HubSpot facts and committed
 * like any transition. A refusal is an answer (the model does not allow it), returned with the unchanged view.
 */
export async function applyContactAction<A extends ContactAction>(
  deps: ContactActionDeps,
  portalId: PortalId,
  contactId: string,
  action: A,
  request: ContactActionRequest[A],
  actor: string | null,
): Promise<ContactActionOutcome> {
  const decided = await decideRecordNow(deps, portalId, contactId, commandFor(action, request), actor);
  if (decided.outcome !== 'decided') return decided;
  const now = deps.clock.now();
  const view = await getContactView(deps, portalId, contactId, now);
  const { decision } = decided;
  const result: ContactActionResult =
    decision.refusal !== null ? { outcome: 'refused', refusal: decision.refusal, view } : { outcome: 'applied', message: describeDecision(decision, deps.model), view };
  return { outcome: 'answered', result };
}

/** One sentence for the card's confirmation: where the record went, what was skipped, how long email is paused. */
export function describeDecision(decision: Decision, model: CompiledModel): string {
  const label = (id: string | null) => (id === null ? 'nowhere' : (model.stageById.get(id)?.label ?? id));
  const parts = [`Moved to ${label(decision.to)}${decision.from === null ? '' : ` from ${label(decision.from)}`}.`];
  if (decision.skipped.length > 0) parts.push(`Skipped: ${decision.skipped.map(label).join(', ')}.`);
  if (decision.state.marketingPausedUntil !== null && decision.effects.some((e) => e.type === 'pause_marketing')) {
    parts.push(`Marketing email paused until ${isoTime(decision.state.marketingPausedUntil).slice(0, 10)}.`);
  }
  return parts.join(' ');
}
