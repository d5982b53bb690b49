import { companyCommits } from '../accounts/company-commits';
import { decideCommand, evaluate, initialState, recordKeyString, type Command, type CompiledModel, type Decision } from '../../core';
import type { KeyedFactEvent } from '../facts/activity-events';
import { buildFacts } from '../facts/build-facts';
import { changedProperties, propertySnapshot, storedContactProperties } from '../facts/stored-properties';
import type { Clock } from '../ports/clock';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';
import { decisionCommit } from './decision-commit';
import { readContactFacts } from './read-contact-facts';

export type DecideNowResult =
  | { outcome: 'decided'; decision: Decision }
  | { outcome: 'not_found' }
  /** Someone else kept saving the record; the caller may retry later. */
  | { outcome: 'busy' };

/**
 * Decides one contact right now — with an admin command (card button, workflow action) or as a plain
 * evaluation — on facts read from HubSpot this instant, and commits the result through the same ledger, state
 * and outbox as the worker. The HubSpot writes themselves are left to the outbox.
 *
 * `reportedEvents` are facts HubSpot's record does not carry but a caller witnessed (a survey answer handed to a
 * workflow action): they join the facts of this decision and are stored with it, so later decisions and account
 * health see them too. Their keys deduplicate them like any other fact event.
 */
export async function decideRecordNow(
  deps: { store: Store; hubspot: HubSpotPort; model: CompiledModel; clock: Clock },
  portalId: PortalId,
  contactId: string,
  command: Command | null,
  actor: string | null,
  reportedEvents: KeyedFactEvent[] = [],
): Promise<DecideNowResult> {
  const key = { objectType: 'contact' as const, objectId: contactId };
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await deps.store.states.get(portalId, key);
    const storedEvents = (await deps.store.factEvents.getMany(portalId, [key])).get(recordKeyString(key)) ?? [];
    const storedProperties = (await deps.store.recordProperties.getMany(portalId, [key])).get(recordKeyString(key)) ?? [];
    const { readings } = await readContactFacts({
      hubspot: deps.hubspot,
      model: deps.model,
      knownIds: stored ? [contactId] : [],
      historyIds: stored ? [] : [contactId],
      changes: new Map(),
    });
    const reading = readings.get(contactId);
    if (!reading) return { outcome: 'not_found' };
    const now = deps.clock.now();
    const freshEvents = [...reading.events, ...reportedEvents];
    const facts = buildFacts({ record: reading.record, storedEvents, freshEvents, changes: [], observedAt: now });
    const state = stored?.state ?? initialState('contact', contactId);
    const decision = command ? decideCommand(state, facts, command, deps.model, now, actor) : evaluate(state, facts, deps.model, now);
    const known = new Set(storedEvents.map((e) => e.key));
    const properties = changedProperties(propertySnapshot(reading.record, facts, storedContactProperties(deps.model)), storedProperties, now);
    const commit = decisionCommit({ key, expectedVersion: stored?.version ?? null, decision, newFactEvents: freshEvents.filter((e) => !known.has(e.key)), properties });
    const companies = await companyCommits(deps, portalId, [commit], now);
    const { conflicts } = await deps.store.unitOfWork.commitEvaluations(portalId, [commit, ...companies], [], 'decide-now', now);
    if (conflicts.length === 0) return { outcome: 'decided', decision };
  }
  return { outcome: 'busy' };
}
