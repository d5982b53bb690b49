import { accountHealth, companyJourney, companyRowsToAppend, companyStateAfter, type CompiledModel, type LedgerEntry } from '../../core';
import { accountHealthInput, dealsFromEvents, type StoredRecord } from '../cards/account-health-input';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, RecordCommit, RecordKey, Store } from '../ports/store-ports';
import { chunk } from '../pipeline/chunk';
import { companyLcProperties, companyNativeStage } from './company-properties';

export interface CompanyCommitDeps {
  store: Pick<Store, 'states' | 'ledger' | 'factEvents'>;
  hubspot: Pick<HubSpotPort, 'associations'>;
  model: CompiledModel;
}

/** HubSpot answers association reads for ≤ 1,000 ids a call. */
const ASSOCIATION_BATCH = 1_000;
const HOUR_MS = 3_600_000;
const keyString = (key: RecordKey) => `${key.objectType}:${key.objectId}`;

/**
 * The company commits that go with a batch of contact commits, in the SAME unit of work: for every company of the
 * batch's contacts, its journey is derived again (core/accounts companyJourney) from all its contacts' ledger rows
 * and deal events — the stored ones plus the batch's — and the rows the company ledger does not hold yet are
 * appended, with the company state, its lc_* properties and health for the outbox. The aggregates, keyed by object
 * type, then count company rows as they count contacts'. Cost grows with the companies of the batch and their
 * contacts, never with the portal's history. `alsoCompanies`: companies to refresh whatever moved (a scheduled
 * health refresh, a change on the company itself); each company commit sets its next refresh as its wake time.
 */
export async function companyCommits(deps: CompanyCommitDeps, portalId: PortalId, contactCommits: readonly RecordCommit[], now: number, alsoCompanies: readonly string[] = []): Promise<RecordCommit[]> {
  const touched = contactCommits.filter((c) => c.key.objectType === 'contact').map((c) => c.key.objectId);
  const companyIds = new Set<string>(alsoCompanies);
  for (const ids of chunk(touched, ASSOCIATION_BATCH)) {
    for (const companies of (await deps.hubspot.associations('contact', 'company', ids)).values()) companies.forEach((id) => companyIds.add(id));
  }
  if (companyIds.size === 0) return [];
  const contactsOf = new Map<string, string[]>();
  for (const ids of chunk([...companyIds], ASSOCIATION_BATCH)) {
    for (const [companyId, contacts] of await deps.hubspot.associations('company', 'contact', ids)) contactsOf.set(companyId, contacts);
  }
  const pending = new Map(contactCommits.map((c) => [keyString(c.key), c]));
  const commits: RecordCommit[] = [];
  for (const companyId of [...companyIds].sort()) {
    const commit = await companyCommit(deps, portalId, companyId, contactsOf.get(companyId) ?? [], pending, now);
    if (commit) commits.push(commit);
  }
  return commits;
}

async function companyCommit(deps: CompanyCommitDeps, portalId: PortalId, companyId: string, contactIds: string[], pending: Map<string, RecordCommit>, now: number): Promise<RecordCommit | null> {
  const { store, model } = deps;
  const companyKey: RecordKey = { objectType: 'company', objectId: companyId };
  const contactKeys: RecordKey[] = contactIds.map((objectId) => ({ objectType: 'contact', objectId }));
  const [states, events, companyHistory] = await Promise.all([store.states.getMany(portalId, [companyKey, ...contactKeys]), store.factEvents.getMany(portalId, contactKeys), store.ledger.history(portalId, companyKey)]);

  const contacts: StoredRecord[] = [];
  for (const key of contactKeys) {
    const id = keyString(key);
    const commit = pending.get(id);
    const stored = states.get(id);
    const state = commit?.state ?? stored?.state;
    if (!state) continue;
    const history = await store.ledger.history(portalId, key);
    const known = new Set(history.map((e) => e.transitionId));
    const storedEvents = events.get(id) ?? [];
    const knownEvents = new Set(storedEvents.map((e) => e.key));
    contacts.push({
      state,
      history: [...history, ...(commit?.ledger ?? []).filter((e) => !known.has(e.transitionId))],
      events: [...storedEvents, ...(commit?.newFactEvents ?? []).filter((e) => !knownEvents.has(e.key))],
    });
  }
  const deals = dealsFromEvents(contacts.flatMap((c) => c.events));
  const derived = companyJourney({ companyId, contacts: contacts.map((c) => ({ contactId: c.state.objectId, rows: c.history })), deals }, model);
  const appended: LedgerEntry[] = companyRowsToAppend(derived, companyHistory, model);
  const stored = states.get(keyString(companyKey)) ?? null;
  if (appended.length === 0 && stored === null) return null;
  const state = companyStateAfter(companyId, appended, stored?.state ?? null);
  const inLifecycle = contacts.filter((c) => c.state.stage !== null);
  // The company's own stage is derived from these same contacts and deals, so it is no separate input of its health.
  const health = inLifecycle.length > 0 ? accountHealth(accountHealthInput(null, inLifecycle), model, now) : null;
  const nativeStage = appended.length > 0 ? companyNativeStage(model, stored?.state.stage ?? null, state.stage) : null;
  return {
    key: companyKey,
    expectedVersion: stored?.version ?? null,
    state,
    wakeAt: now + model.document.accounts.healthRefreshHours * HOUR_MS,
    newFactEvents: [],
    ledger: appended,
    outbox: [{ kind: 'update_properties', properties: companyLcProperties(state, health), nativeStage }],
    pause: null,
    alerts: [],
  };
}
