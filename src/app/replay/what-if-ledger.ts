import { evaluate, initialState, LedgerAggregates, recordKeyString, type CompiledModel, type LedgerRow } from '../../core';
import { buildFacts } from '../facts/build-facts';
import { contactReadProperties } from '../facts/fact-properties';
import { BATCH_READ_LIMIT } from '../pipeline/read-contact-facts';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';

export interface WhatIfLedger {
  /** The what-if ledger, folded into aggregates as it was computed (never held as rows). */
  aggregates: LedgerAggregates;
  rows: number;
  /** Contacts replayed (every contact of the current ledger HubSpot still has). */
  contacts: number;
  /** In our ledger but deleted in HubSpot since: absent from the what-if side only. */
  missing: number;
  /** Properties the what-if model reads that could not be read (no HubSpot access), and for how many contacts. */
  unreadable: { properties: string[]; contacts: number } | null;
}

/**
 * The ledger a different model would have written. Each contact of the current ledger is evaluated from scratch
 * under `model` on the facts we recorded — every activity and deal event in store.factEvents — plus its current
 * HubSpot properties (one read-only batch read per 100: events are ours, properties such as the email, job title or
 * score are not stored). Nothing is written anywhere. Contacts are streamed BATCH_READ_LIMIT at a time and their
 * what-if rows folded into aggregates at once, so memory holds one batch, whatever the portal's size.
 *
 * `hubspot: null` (no HubSpot access): nothing is evaluated; the result names the properties that could not be read
 * and the contacts that needs, so the caller can say so instead of comparing against an empty funnel.
 *
 * Limits, by design: contacts that never entered the current ledger are not replayed (we store no facts for them),
 * and a property criterion is dated by the record's creation (entry and dead-end rules) or by now, since we keep
 * property values, not their history.
 */
export async function whatIfLedger(
  deps: { store: Pick<Store, 'ledger' | 'factEvents'>; hubspot: HubSpotPort | null },
  portalId: PortalId,
  model: CompiledModel,
  until: number,
): Promise<WhatIfLedger> {
  const properties = contactReadProperties(model);
  const aggregates = new LedgerAggregates();
  let rows = 0;
  let seen = 0;
  let missing = 0;
  for (let after: string | null = null; ;) {
    const batch = await deps.store.ledger.recordIds(portalId, 'contact', after, BATCH_READ_LIMIT);
    if (batch.length === 0) break;
    after = batch.at(-1) ?? null;
    seen += batch.length;
    if (!deps.hubspot) continue;
    const keys = batch.map((objectId) => ({ objectType: 'contact' as const, objectId }));
    const [stored, read] = await Promise.all([deps.store.factEvents.getMany(portalId, keys), deps.hubspot.batchRead('contact', batch, properties)]);
    missing += read.missing.length;
    for (const record of read.records) {
      const facts = buildFacts({ record, storedEvents: stored.get(recordKeyString({ objectType: 'contact', objectId: record.id })) ?? [], freshEvents: [], changes: [], observedAt: until });
      const decision = evaluate(initialState('contact', record.id), facts, model, until);
      const history = decision.steps.map((step): LedgerRow => ({
        objectType: 'contact',
        objectId: record.id,
        toStage: step.to,
        kind: step.kind,
        skipped: step.skipped,
        reasonCode: step.reasonCode,
        occurredAt: step.at,
      }));
      aggregates.addRecord(history);
      rows += history.length;
    }
  }
  const unreadable = deps.hubspot ? null : { properties, contacts: seen };
  return { aggregates, rows, contacts: deps.hubspot ? seen - missing : 0, missing, unreadable };
}
