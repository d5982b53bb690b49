import { evaluate, FunnelFold, initialState, type AggregateWindow, type CompiledModel, type FunnelAggregates, type LedgerRow } from '../../core';
import { buildFacts } from '../facts/build-facts';
import { COMPANY_FACT_PROPERTIES } from '../accounts/company-facts';
import { observedDates, recordFromStore, storedContactProperties } from '../facts/stored-properties';
import { chunk } from '../pipeline/chunk';
import { BATCH_READ_LIMIT } from '../pipeline/read-contact-facts';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { IdRange, PortalId, Store } from '../ports/store-ports';

/** Contacts read from the store per step: one query each for ids, events and properties (a range scan), whatever the portal's size. */
export const REPLAY_STORE_BATCH = 1_000;

export interface WhatIfLedger {
  /** The what-if ledger, folded into the report window's sums as it was computed (never held as rows or by day). */
  fold: FunnelFold;
  rows: number;
  /** Contacts replayed (every contact of the current ledger, less those HubSpot no longer has when it was asked). */
  contacts: number;
  /** In our ledger but deleted in HubSpot since (known only for contacts HubSpot was asked about). */
  missing: number;
  /** Properties the what-if model reads that are not stored and could not be read (no HubSpot access), and for how many contacts. */
  unreadable: { properties: string[]; contacts: number } | null;
  /** Batch reads made to HubSpot for properties not stored (0 when the store holds everything the model reads). */
  hubspotReads: number;
}

/** Contact ids after `after` (null: from the first) up to and including `last` (null: to the last), in id order. */
export interface ContactSpan {
  after: string | null;
  last: string | null;
}

export const ALL_CONTACTS: ContactSpan = { after: null, last: null };

/** A what-if replay as a report reads it: the funnel of one window (stages × cuts, not every day). */
export type WhatIfFunnel = Omit<WhatIfLedger, 'fold'> & { funnel: FunnelAggregates };

/**
 * Replays the what-if ledger into the funnel of `window` (whatIfLedger; its parts on several threads; all of it on
 * another thread): where the replay ran on another thread, only the window's sums cross back.
 */
export type WhatIfReplayer = (portalId: PortalId, model: CompiledModel, until: number, window: AggregateWindow) => Promise<WhatIfFunnel>;

export function whatIfFunnel(ledger: WhatIfLedger): WhatIfFunnel {
  const { fold, ...figures } = ledger;
  return { ...figures, funnel: fold.funnel() };
}

/** How a replay on another thread failed: its code threw, its heap ran out, or the thread exited without an answer. */
export type ReplayThreadFailure = 'threw' | 'out_of_memory' | 'exited';

/** A replayer running on another thread (src/main/replay) rejects with this when that thread fails; the message has its error. */
export class ReplayThreadError extends Error {
  constructor(
    readonly failure: ReplayThreadFailure,
    detail: string,
  ) {
    super(`what-if replay worker: ${detail}`);
    this.name = 'ReplayThreadError';
  }
}

/**
 * The what-if ledger of consecutive spans of contacts, each replayed alone into `window`, as one: exactly what one
 * replay of their union gives (the sums are added in span order, so even their keys' order is the same).
 */
export function combineWhatIf(window: AggregateWindow, parts: readonly WhatIfLedger[]): WhatIfLedger {
  const fold = new FunnelFold(window);
  const unreadable = new Set<string>();
  let unreadableContacts = 0;
  for (const part of parts) {
    fold.addCounts(part.fold.counts());
    part.unreadable?.properties.forEach((name) => unreadable.add(name));
    unreadableContacts += part.unreadable?.contacts ?? 0;
  }
  const unread = unreadableContacts > 0 ? { properties: [...unreadable].sort(), contacts: unreadableContacts } : null;
  const sum = (of: (part: WhatIfLedger) => number) => parts.reduce((total, part) => total + of(part), 0);
  return {
    fold,
    rows: sum((p) => p.rows),
    contacts: unread ? 0 : sum((p) => p.contacts),
    missing: sum((p) => p.missing),
    unreadable: unread,
    hubspotReads: sum((p) => p.hubspotReads),
  };
}

/** Progress of a replay, after each store batch: contacts done, and HubSpot batch reads so far. */
export interface ReplayProgress {
  contacts: number;
  hubspotReads: number;
}

/**
 * The ledger a different model would have written, from the store alone. Each contact of the current ledger is
 * evaluated from scratch under `model` on the facts we recorded: every activity and deal event in store.factEvents,
 * and the property values in store.recordProperties (dated when HubSpot says they were set, else when the pipeline
 * first observed them, so rules fire when the decisions that read them did). Nothing is written anywhere. Contacts
 * are streamed REPLAY_STORE_BATCH at a time and their what-if rows folded at once into the sums of the report
 * `window` (FunnelFold), so memory holds one batch and stages × the window's intervals, whatever the portal's size
 * and the length of its history.
 *
 * A property the what-if model reads that is not stored for a contact (a property no published model read, or a
 * contact last decided before migration 0014) is read from HubSpot, one read-only batch read per 100 such contacts,
 * for those properties only. `hubspot: null` (no HubSpot access, or the settings Preview, which never calls HubSpot
 * while an admin waits): such contacts are not evaluated and the result names the properties and counts the contacts,
 * so the caller says so instead of comparing against a partial funnel.
 *
 * Limits, by design: contacts that never entered the current ledger are not replayed (we store no facts for them);
 * a value stored with neither date (before migration 0026) or read from HubSpot now is dated by the record's creation
 * (entry and dead-end rules) or by now; a company fact (hs_is_target_account) not stored is taken as empty, never
 * read from HubSpot.
 *
 * `ids` limits the replay to a span of contact ids (a part replayed on another thread; combineWhatIf joins the parts).
 */
export async function whatIfLedger(
  deps: { store: Pick<Store, 'ledger' | 'factEvents' | 'recordProperties'>; hubspot: HubSpotPort | null; onProgress?: (progress: ReplayProgress) => void },
  portalId: PortalId,
  model: CompiledModel,
  until: number,
  window: AggregateWindow,
  ids: ContactSpan = ALL_CONTACTS,
): Promise<WhatIfLedger> {
  // A company fact (part of a contact's facts, read from its companies) is stored only where a read merged it; where
  // it is not stored the contact is evaluated without it, as the decision that stored the contact was.
  const wanted = storedContactProperties(model).filter((name) => !COMPANY_FACT_PROPERTIES.includes(name));
  const fold = new FunnelFold(window);
  const unreadable = new Set<string>();
  let unreadableContacts = 0;
  let rows = 0;
  let seen = 0;
  let missing = 0;
  let hubspotReads = 0;
  for (let after: string | null = ids.after; ;) {
    const batch = await deps.store.ledger.recordIds(portalId, 'contact', after, REPLAY_STORE_BATCH, ids.last);
    if (batch.length === 0) break;
    // The batch's ids are consecutive in id order: its events and properties are one range scan each (keyed by object id).
    const range: IdRange = { after, last: batch.at(-1)! };
    after = range.last;
    seen += batch.length;
    const [events, properties] = await Promise.all([deps.store.factEvents.inIdRange(portalId, 'contact', range), deps.store.recordProperties.inIdRange(portalId, 'contact', range)]);

    // What each contact lacks of what the model reads.
    const lacking = new Map<string, string[]>();
    for (const id of batch) {
      const stored = new Set((properties.get(id) ?? []).map((p) => p.property));
      const absent = wanted.filter((name) => !stored.has(name));
      if (absent.length > 0) lacking.set(id, absent);
    }
    const read = new Map<string, Record<string, string | null>>();
    const gone = new Set<string>();
    if (deps.hubspot) {
      for (const ids of chunk([...lacking.keys()], BATCH_READ_LIMIT)) {
        const names = [...new Set(ids.flatMap((id) => lacking.get(id) ?? []))].sort();
        const answer = await deps.hubspot.batchRead('contact', ids, names);
        hubspotReads++;
        for (const record of answer.records) read.set(record.id, Object.fromEntries(names.map((name) => [name, record.properties[name] ?? null])));
        answer.missing.forEach((id) => gone.add(id));
      }
      missing += gone.size;
    } else {
      for (const absent of lacking.values()) absent.forEach((name) => unreadable.add(name));
      unreadableContacts += lacking.size;
    }

    for (const id of batch) {
      if (gone.has(id) || (lacking.has(id) && !read.has(id))) continue;
      const stored = properties.get(id) ?? [];
      const record = recordFromStore(id, stored, read.get(id));
      const facts = { ...buildFacts({ record, storedEvents: events.get(id) ?? [], freshEvents: [], changes: [], observedAt: until }), propertyObservedAt: observedDates(stored) };
      const decision = evaluate(initialState('contact', id), facts, model, until);
      const history = decision.steps.map((step): LedgerRow => ({
        objectType: 'contact',
        objectId: id,
        toStage: step.to,
        kind: step.kind,
        skipped: step.skipped,
        reasonCode: step.reasonCode,
        occurredAt: step.at,
      }));
      fold.addRecord(history);
      rows += history.length;
    }
    deps.onProgress?.({ contacts: seen, hubspotReads });
  }
  const unread = unreadableContacts > 0 ? { properties: [...unreadable].sort(), contacts: unreadableContacts } : null;
  return { fold, rows, contacts: unread ? 0 : seen - missing, missing, unreadable: unread, hubspotReads };
}
