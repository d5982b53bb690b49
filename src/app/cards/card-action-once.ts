import type { ContactAction, ContactActionResult, ContactLifecycleView } from '../../contracts/card-api';
import type { PortalId, WorkflowExecutionPort } from '../ports/store-ports';
import type { ContactActionOutcome } from './apply-contact-action';

export type OnceOutcome = ContactActionOutcome | { outcome: 'request_id_reused' };

interface CardRequest {
  requestId: string;
  action: ContactAction;
  contactId: string;
  now: () => number;
}

/**
 * One decision per card request id. HubSpot retries a hubspot.fetch once after a 5xx or a dropped connection, with
 * the same URL (and so the same requestId), and a captured request can be replayed while its signature is fresh:
 * the first outcome (applied or refused) is stored per portal and every repeat gets it back, with the record's view
 * as it is now. A repeat arriving while the first is still running in this process waits for it.
 *
 * The answers live in the same per-portal "answered once" table as workflow-action callbackIds, under a
 * `card:`-prefixed id that no HubSpot callbackId (`ap-…`) can take. Nothing is stored when the decision did not
 * happen (not found, busy, HubSpot or the database unavailable): the repeat then decides afresh.
 */
export class CardActionOnce {
  private readonly running = new Map<string, { request: CardRequest; outcome: Promise<OnceOutcome> }>();

  constructor(private readonly answers: WorkflowExecutionPort) {}

  async apply(portalId: PortalId, request: CardRequest, decide: () => Promise<ContactActionOutcome>, viewNow: () => Promise<ContactLifecycleView>): Promise<OnceOutcome> {
    const flightKey = `${portalId}:${request.requestId}`;
    const inFlight = this.running.get(flightKey);
    if (inFlight) return sameTarget(inFlight.request, request) ? inFlight.outcome : { outcome: 'request_id_reused' };
    const outcome = this.decideOnce(portalId, request, decide, viewNow).finally(() => this.running.delete(flightKey));
    this.running.set(flightKey, { request, outcome });
    return outcome;
  }

  private async decideOnce(portalId: PortalId, request: CardRequest, decide: () => Promise<ContactActionOutcome>, viewNow: () => Promise<ContactLifecycleView>): Promise<OnceOutcome> {
    const id = `card:${request.requestId}`;
    const stored = await this.answers.get(portalId, id);
    if (stored) {
      const target = { action: stored.action.replace(/^card:/, ''), contactId: stored.key.objectId };
      if (!sameTarget(target, request)) return { outcome: 'request_id_reused' };
      return { outcome: 'answered', result: resultOf(stored.outputFields, await viewNow()) };
    }
    const decided = await decide();
    if (decided.outcome !== 'answered') return decided;
    const { view, ...answer } = decided.result;
    const saved = await this.answers.saveOnce(portalId, {
      callbackId: id,
      action: `card:${request.action}`,
      key: { objectType: 'contact', objectId: request.contactId },
      outputFields: answer,
      createdAt: request.now(),
    });
    return { outcome: 'answered', result: resultOf(saved.outputFields, view) };
  }
}

/** A repeat names the same action on the same record; the same id anywhere else is not a repeat. */
const sameTarget = (a: { action: string; contactId: string }, b: { action: string; contactId: string }) => a.action === b.action && a.contactId === b.contactId;

function resultOf(fields: Record<string, string>, view: ContactLifecycleView): ContactActionResult {
  return fields['outcome'] === 'applied' ? { outcome: 'applied', message: fields['message'] ?? '', view } : { outcome: 'refused', refusal: fields['refusal'] ?? 'refused', view };
}
