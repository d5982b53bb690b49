import { evaluate, initialState, type CompiledModel, type LedgerRow } from '../../core';
import { buildFacts } from '../facts/build-facts';
import { contactReadProperties } from '../facts/fact-properties';
import { chunk } from '../pipeline/chunk';
import { BATCH_READ_LIMIT } from '../pipeline/read-contact-facts';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';

export interface WhatIfLedger {
  rows: LedgerRow[];
  /** Contacts replayed (every contact of the current ledger HubSpot still has). */
  contacts: number;
  /** In our ledger but deleted in HubSpot since: absent from the what-if side only. */
  missing: number;
}

/**
 * The ledger a different model would have written. Each contact of the current ledger is evaluated from scratch
 * under `model` on the facts we recorded — every activity and deal event in store.factEvents — plus its current
 * HubSpot properties (one read-only batch read per 100: events are ours, properties such as the email, job title or
 * score are not stored). Nothing is written anywhere: the rows live in memory for the comparison.
 *
 * Limits, by design: contacts that never entered the current ledger are not replayed (we store no facts for them),
 * and a property criterion is dated by the record's creation (entry and dead-end rules) or by now, since we keep
 * property values, not their history.
 */
export async function whatIfLedger(deps: { store: Store; hubspot: HubSpotPort }, portalId: PortalId, model: CompiledModel, until: number): Promise<WhatIfLedger> {
  const current = await deps.store.ledger.entries(portalId, { objectType: 'contact' });
  const ids = [...new Set(current.map((e) => e.objectId))];
  const properties = contactReadProperties(model);
  const rows: LedgerRow[] = [];
  let missing = 0;
  for (const batch of chunk(ids, BATCH_READ_LIMIT)) {
    const keys = batch.map((objectId) => ({ objectType: 'contact' as const, objectId }));
    const [stored, read] = await Promise.all([deps.store.factEvents.getMany(portalId, keys), deps.hubspot.batchRead('contact', batch, properties)]);
    missing += read.missing.length;
    for (const record of read.records) {
      const facts = buildFacts({ record, storedEvents: stored.get(`contact:${record.id}`) ?? [], freshEvents: [], changes: [], observedAt: until });
      const decision = evaluate(initialState('contact', record.id), facts, model, until);
      for (const step of decision.steps) {
        rows.push({ objectType: 'contact', objectId: record.id, toStage: step.to, kind: step.kind, skipped: step.skipped, reasonCode: step.reasonCode, occurredAt: step.at });
      }
    }
  }
  return { rows, contacts: ids.length - missing, missing };
}
