import { recordKeyString, type CompiledModel } from '../../core';
import { contactActivityEvents, type KeyedFactEvent } from '../facts/activity-events';
import type { Clock } from '../ports/clock';
import type { CrmRecord, HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, RecordCommit, RecordKey, Store, StoredState } from '../ports/store-ports';
import { companyCommits } from '../accounts/company-commits';
import { decideContacts } from '../pipeline/decide-contacts';
import { roundHubSpot } from '../pipeline/round-hubspot';
import { decisionCommit } from '../pipeline/decision-commit';
import type { ContactReading } from '../pipeline/read-contact-facts';
import { readContactHistory } from './read-contact-history';
import { writeBackPlan } from './write-back-plan';

export interface SyncDeps {
  store: Store;
  hubspot: HubSpotPort;
  model: CompiledModel;
  clock: Clock;
  workerId: string;
}

export interface SyncPolicy {
  /** Which scanned contacts are re-read with their value history (and deals) before deciding. */
  readHistoryOf: (record: CrmRecord, stored: StoredState | null, storedEvents: KeyedFactEvent[]) => boolean;
  /**
   * Whether owner tasks and alerts may be created. A backfill says no: a re-engagement two years ago replayed
   * today is history, not news. A reconcile sweep says yes: it repairs what an outage hid this week.
   */
  notifyOwners: boolean;
  /** A backfill unit's last scanned id: companies with contacts after it wait for a later unit (companyCommits). */
  deferCompaniesWithContactsAfter?: string;
}

export interface SyncTally {
  scanned: number;
  historyReads: number;
  /** Ledger rows the commit offered (rows already in the ledger are not added twice). */
  transitions: number;
  writesQueued: number;
  /** Saved by someone else meanwhile (the live pipeline): that evaluation stands. */
  conflicts: number;
  /** Deleted in HubSpot between the search and the read. */
  missing: number;
}

export const emptyTally = (): SyncTally => ({ scanned: 0, historyReads: 0, transitions: 0, writesQueued: 0, conflicts: 0, missing: 0 });

export function addTally<T extends SyncTally>(into: T, add: SyncTally): T {
  for (const k of Object.keys(emptyTally()) as Array<keyof SyncTally>) into[k] += add[k];
  return into;
}

const contactKey = (objectId: string) => recordKeyString({ objectType: 'contact', objectId });

/**
 * Brings scanned contacts into the ledger in one commit: reads history where the policy asks, decides every contact
 * with the engine (a never-seen contact replays its whole dated history, so its past transitions get their real
 * dates), queues only the HubSpot writes that change something, and commits ledger, state, facts and outbox in one
 * transaction. Shared by the backfill and the reconcile sweep; the worker's own path is process-inbox.
 */
export async function syncContacts(deps: SyncDeps, portalId: PortalId, scanned: CrmRecord[], policy: SyncPolicy, alsoRead: string[] = []): Promise<SyncTally> {
  deps = { ...deps, hubspot: roundHubSpot(deps.hubspot) };
  const seen = new Set(scanned.map((r) => r.id));
  const extra = [...new Set(alsoRead)].filter((id) => !seen.has(id));
  const keys: RecordKey[] = [...seen, ...extra].map((objectId) => ({ objectType: 'contact', objectId }));
  const [states, storedEvents, storedProperties] = await Promise.all([
    deps.store.states.getMany(portalId, keys),
    deps.store.factEvents.getMany(portalId, keys),
    deps.store.recordProperties.getMany(portalId, keys),
  ]);
  const toRead = [...scanned.filter((r) => policy.readHistoryOf(r, states.get(contactKey(r.id)) ?? null, storedEvents.get(contactKey(r.id)) ?? [])).map((r) => r.id), ...extra];
  const { readings: read, missing } = await readContactHistory({ hubspot: deps.hubspot, clock: deps.clock, model: deps.model, ids: toRead });
  const gone = new Set(missing);

  const readings = new Map<string, ContactReading>();
  for (const record of scanned) {
    if (!gone.has(record.id)) readings.set(record.id, read.get(record.id) ?? { record, events: contactActivityEvents(record) });
  }
  for (const id of extra) {
    const reading = read.get(id);
    if (reading) readings.set(id, reading);
  }
  // What HubSpot shows now, to write back only differences: the search page, or the read for contacts not scanned.
  const currentValues = new Map([...readings].map(([id, reading]) => [id, reading.record.properties]));
  for (const record of scanned) currentValues.set(record.id, record.properties);

  const tally: SyncTally = { ...emptyTally(), scanned: scanned.length + extra.length, historyReads: toRead.length, missing: missing.length };
  const commits: RecordCommit[] = [];
  for (const decided of decideContacts({ model: deps.model, readings, states, storedEvents, storedProperties, changes: new Map(), readAt: deps.clock.now() })) {
    const key = { objectType: 'contact' as const, objectId: decided.contactId };
    const write = writeBackPlan(currentValues.get(decided.contactId) ?? {}, decided.decision);
    const commit = decided.commit ?? (write ? decisionCommit({ key, expectedVersion: decided.stored?.version ?? null, decision: decided.decision, newFactEvents: [] }) : null);
    if (!commit) continue;
    const tasks = policy.notifyOwners ? commit.outbox.filter((o) => o.kind === 'create_task') : [];
    commits.push({ ...commit, outbox: write ? [write, ...tasks] : tasks, alerts: policy.notifyOwners ? commit.alerts : [] });
    tally.transitions += commit.ledger.length;
    if (write) tally.writesQueued++;
  }
  // The companies of these contacts, derived by the same core function as in the worker, so the rows are the same. A
  // backfill derives a company only in the unit that scans its last contact, so its rows come from all its contacts.
  const companies = await companyCommits({ store: deps.store, hubspot: deps.hubspot, model: deps.model }, portalId, commits, deps.clock.now(), {
    notifyOwners: policy.notifyOwners,
    ...(policy.deferCompaniesWithContactsAfter === undefined ? {} : { deferIfContactAfter: policy.deferCompaniesWithContactsAfter }),
  });
  tally.transitions += companies.reduce((sum, c) => sum + c.ledger.length, 0);
  commits.push(...companies);
  const { conflicts } = await deps.store.unitOfWork.commitEvaluations(portalId, commits, [], deps.workerId, deps.clock.now());
  tally.conflicts = conflicts.length;
  return tally;
}
