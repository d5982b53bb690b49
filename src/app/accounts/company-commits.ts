import {
  accountHealth,
  recordKeyString,
  companyJourney,
  companyRowsToAppend,
  companyStateAfter,
  isoTime,
  lostDealReturns,
  type CompiledModel,
  type LedgerEntry,
  type LostDealReturn,
} from '../../core';
import { accountHealthInput, dealsFromEvents, type StoredRecord } from '../cards/account-health-input';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { OutboxPayload, PortalId, RecordCommit, RecordKey, Store, StoredState } from '../ports/store-ports';
import { chunk } from '../pipeline/chunk';
import { companyLcProperties, companyNativeStage } from './company-properties';

export interface CompanyCommitDeps {
  store: Pick<Store, 'states' | 'ledger' | 'factEvents'>;
  hubspot: Pick<HubSpotPort, 'associations' | 'batchRead'>;
  model: CompiledModel;
}

export interface CompanyCommitOptions {
  /** Companies to refresh whatever moved (a scheduled health refresh, a change on the company itself). */
  alsoCompanies?: readonly string[];
  /** Whether owner tasks may be raised (a backfill says no: a return two years ago is history, not news). */
  notifyOwners?: boolean;
  /**
   * A backfill unit's last contact id: a company with a contact after it (in the scan's hs_object_id order) is left
   * to the unit that scans its last contact, so its journey is derived once, over all its contacts, exactly as
   * companyJourney gives it — not appended to from a first unit that saw only some of them.
   */
  deferIfContactAfter?: string;
}

/** HubSpot answers association reads for ≤ 1,000 ids a call. */
const ASSOCIATION_BATCH = 1_000;
/**
 * Companies are derived in groups whose contacts are read together: a group holds companies until their contacts
 * reach this many (a bigger company is a group of its own), so memory stays bounded by the group, not the batch.
 */
const CONTACTS_PER_READ = 2_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The company commits that go with a batch of contact commits, in the SAME unit of work: for every company of the
 * batch's contacts, its journey is derived again (core/accounts companyJourney) from all its contacts' ledger rows
 * and deal events — the stored ones plus the batch's — and the rows the company ledger does not hold yet are
 * appended, with the company state, its lc_* properties and health for the outbox. The aggregates, keyed by object
 * type, then count company rows as they count contacts'. Each company commit sets its next scheduled health refresh
 * as its wake time. A lost-deal company whose people come back to the site raises ONE task for the company owner.
 *
 * Reads are batched across the companies of a group (see CONTACTS_PER_READ), not made per company or per contact:
 * one read of states, of fact events and of ledger histories per 500 records, and each contact's history is read
 * once even when it works at several of the batch's companies. Of a company's own ledger only its last row is read
 * (all companyRowsToAppend needs). Cost grows with the batch's companies and their contacts, never with the
 * portal's history.
 */
export async function companyCommits(
  deps: CompanyCommitDeps,
  portalId: PortalId,
  contactCommits: readonly RecordCommit[],
  now: number,
  options: CompanyCommitOptions = {},
): Promise<RecordCommit[]> {
  const touched = contactCommits.filter((c) => c.key.objectType === 'contact').map((c) => c.key.objectId);
  const companyIds = new Set<string>(options.alsoCompanies ?? []);
  for (const ids of chunk(touched, ASSOCIATION_BATCH)) {
    for (const companies of (await deps.hubspot.associations('contact', 'company', ids)).values()) companies.forEach((id) => companyIds.add(id));
  }
  if (companyIds.size === 0) return [];
  const contactsOf = new Map<string, string[]>();
  for (const ids of chunk([...companyIds], ASSOCIATION_BATCH)) {
    for (const [companyId, contacts] of await deps.hubspot.associations('company', 'contact', ids)) contactsOf.set(companyId, contacts);
  }
  const pending = new Map(contactCommits.map((c) => [recordKeyString(c.key), c]));
  const commits: RecordCommit[] = [];
  const after = options.deferIfContactAfter;
  const companies = [...companyIds].sort().filter((companyId) => after === undefined || !(contactsOf.get(companyId) ?? []).some((id) => compareObjectIds(id, after) > 0));
  for (const group of readGroups(companies, contactsOf)) {
    const inputs = await readInputs(deps.store, portalId, group, contactsOf);
    for (const companyId of group) {
      const commit = await companyCommit(deps, portalId, companyId, contactsOf.get(companyId) ?? [], inputs, pending, now, options.notifyOwners ?? true);
      if (commit) commits.push(commit);
    }
  }
  return commits;
}

/** What the store holds for a group of companies and their contacts, read in a few batched statements. */
interface CompanyInputs {
  /** States of the companies and of their contacts, by recordKeyString. */
  states: Map<string, StoredState>;
  /** Fact events of the contacts, by recordKeyString. */
  events: Map<string, StoredFactEvent[]>;
  /** Ledger histories of the contacts, by contact id. */
  histories: Map<string, LedgerEntry[]>;
  /** The last row of each company's own ledger, by company id. */
  lastRows: Map<string, LedgerEntry>;
}

type StoredFactEvent = StoredRecord['events'][number] & { key: string };

/** Consecutive companies whose contacts together stay within CONTACTS_PER_READ (at least one company a group). */
function readGroups(companies: readonly string[], contactsOf: ReadonlyMap<string, readonly string[]>): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let contacts = 0;
  for (const companyId of companies) {
    const size = contactsOf.get(companyId)?.length ?? 0;
    if (group.length > 0 && contacts + size > CONTACTS_PER_READ) {
      groups.push(group);
      group = [];
      contacts = 0;
    }
    group.push(companyId);
    contacts += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

async function readInputs(store: CompanyCommitDeps['store'], portalId: PortalId, companies: readonly string[], contactsOf: ReadonlyMap<string, readonly string[]>): Promise<CompanyInputs> {
  const contactIds = [...new Set(companies.flatMap((id) => contactsOf.get(id) ?? []))];
  const contactKeys: RecordKey[] = contactIds.map((objectId) => ({ objectType: 'contact', objectId }));
  const companyKeys: RecordKey[] = companies.map((objectId) => ({ objectType: 'company', objectId }));
  const [states, events, histories, lastRows] = await Promise.all([
    store.states.getMany(portalId, [...companyKeys, ...contactKeys]),
    store.factEvents.getMany(portalId, contactKeys),
    store.ledger.historiesOf(portalId, 'contact', contactIds),
    store.ledger.lastEntries(portalId, 'company', companies),
  ]);
  return { states, events, histories, lastRows };
}

/** hs_object_id order, as search sorts it: numeric ids by value, anything else as text. */
export function compareObjectIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const [x, y] = [BigInt(a), BigInt(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

async function companyCommit(
  deps: CompanyCommitDeps,
  portalId: PortalId,
  companyId: string,
  contactIds: readonly string[],
  inputs: CompanyInputs,
  pending: Map<string, RecordCommit>,
  now: number,
  notifyOwners: boolean,
): Promise<RecordCommit | null> {
  const { model } = deps;
  const { states, events } = inputs;
  const companyKey: RecordKey = { objectType: 'company', objectId: companyId };
  const lastRow = inputs.lastRows.get(companyId);

  const contacts: StoredRecord[] = [];
  const storedFacts: StoredRecord['events'] = [];
  const freshFacts: StoredRecord['events'] = [];
  for (const objectId of contactIds) {
    const id = recordKeyString({ objectType: 'contact', objectId });
    const commit = pending.get(id);
    const stored = states.get(id);
    const state = commit?.state ?? stored?.state;
    if (!state) continue;
    const history = inputs.histories.get(objectId) ?? [];
    const known = new Set(history.map((e) => e.transitionId));
    const storedEvents = events.get(id) ?? [];
    const knownEvents = new Set(storedEvents.map((e) => e.key));
    const fresh = (commit?.newFactEvents ?? []).filter((e) => !knownEvents.has(e.key));
    storedFacts.push(...storedEvents);
    freshFacts.push(...fresh);
    contacts.push({ state, history: [...history, ...(commit?.ledger ?? []).filter((e) => !known.has(e.transitionId))], events: [...storedEvents, ...fresh] });
  }
  const deals = dealsFromEvents(contacts.flatMap((c) => c.events));
  const derived = companyJourney({ companyId, contacts: contacts.map((c) => ({ contactId: c.state.objectId, rows: c.history })), deals }, model);
  const appended: LedgerEntry[] = companyRowsToAppend(derived, lastRow ? [lastRow] : [], model);
  const stored = states.get(recordKeyString(companyKey)) ?? null;
  const returns = notifyOwners ? lostDealReturns(storedFacts, freshFacts, model.document.accounts.reengagementWindowDays) : [];
  if (appended.length === 0 && stored === null && returns.length === 0) return null;
  const state = companyStateAfter(companyId, appended, stored?.state ?? null);
  const inLifecycle = contacts.filter((c) => c.state.stage !== null);
  // The company's own stage is derived from these same contacts and deals, so it is no separate input of its health.
  const health = inLifecycle.length > 0 ? accountHealth(accountHealthInput(null, inLifecycle), model, now) : null;
  const nativeStage = appended.length > 0 ? companyNativeStage(model, stored?.state.stage ?? null, state.stage) : null;
  // Nothing moved since the company's last commit (a scheduled refresh): its health then, from the same inputs, is
  // what HubSpot shows. Write only when it changed, so a daily refresh of a quiet account costs no API call.
  const inputsMoved = appended.length > 0 || contactIds.some((id) => pending.has(recordKeyString({ objectType: 'contact', objectId: id })));
  const shown = !inputsMoved && stored && inLifecycle.length > 0 ? accountHealth(accountHealthInput(null, inLifecycle), model, stored.updatedAt) : null;
  const unchanged = shown !== null && health !== null && shown.score === health.score && shown.band === health.band && shown.trend.delta === health.trend.delta;
  const ownerId = returns.length > 0 ? await companyOwner(deps, companyId) : null;
  const tasks = returns.map((r) => reengagementTask(companyId, r, ownerId, now));
  return {
    key: companyKey,
    expectedVersion: stored?.version ?? null,
    state,
    wakeAt: now + model.document.accounts.healthRefreshHours * HOUR_MS,
    newFactEvents: [],
    ledger: appended,
    outbox: [...(unchanged ? [] : [{ kind: 'update_properties' as const, properties: companyLcProperties(state, health), nativeStage }]), ...tasks],
    pause: null,
    alerts: tasks.map((t) => ({ kind: 'reengagement' as const, message: t.subject })),
  };
}

async function companyOwner(deps: CompanyCommitDeps, companyId: string): Promise<string | null> {
  const { records } = await deps.hubspot.batchRead('company', [companyId], ['hubspot_owner_id']);
  return records[0]?.properties['hubspot_owner_id'] || null;
}

/** The one task of an account re-engagement: for the company owner, naming the lost deal, its reason and date. */
function reengagementTask(companyId: string, r: LostDealReturn, ownerId: string | null, now: number): Extract<OutboxPayload, { kind: 'create_task' }> {
  const lostOn = isoTime(r.lostAt).slice(0, 10);
  return {
    kind: 'create_task',
    taskKey: `account-reengagement:${companyId}:${r.dealId}`,
    ownerId,
    subject: `Lost account is back on the site: deal ${r.dealId} lost on ${lostOn}`,
    body: `Someone from this company visited the site on ${isoTime(r.visitAt).slice(0, 10)}, after deal ${r.dealId} was lost on ${lostOn} (reason: ${r.reason ?? 'not given'}).`,
    priority: 'HIGH',
    dueAt: now + DAY_MS,
  };
}
