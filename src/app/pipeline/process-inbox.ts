import type { Logger } from 'pino';
import type { CompiledModel } from '../../core';
import type { KeyedFactEvent } from '../facts/activity-events';
import type { Clock } from '../ports/clock';
import { HubSpotError, type HubSpotPort } from '../ports/hubspot-port';
import type { InboxEvent, PortalId, RecordCommit, RecordKey, Store, StoredPropertyValue, StoredState } from '../ports/store-ports';
import { dailyLimitRetryAt, retryDelayMs, transientRetryAt } from './backoff';
import { companyCommits } from '../accounts/company-commits';
import { chunk } from './chunk';
import { classifyInboxEvents, planContactReads, recordKeyOf } from './classify-inbox-events';
import { raiseDailyLimitAlert } from './daily-limit-alert';
import { raisePortalFailingAlert } from './portal-failing-alert';
import { decideContacts } from './decide-contacts';
import { roundHubSpot } from './round-hubspot';
import { ASSOCIATION_BATCH_LIMIT, BATCH_READ_LIMIT, readContactFacts } from './read-contact-facts';

export interface PipelineDeps {
  store: Store;
  hubspot: (portalId: PortalId) => HubSpotPort;
  model: (portalId: PortalId) => CompiledModel;
  clock: Clock;
  logger: Logger;
  workerId: string;
  /** Records whose inbox events a round claims (default CLAIM_LIMIT; a round reads and writes in batches of 50–100). */
  claimLimit?: number;
  leaseMs?: number;
  /**
   * After this many attempts failed by an unexpected error (not a HubSpot answer) an event goes to the dead letters.
   * Transient HubSpot failures never exhaust (they are retried for 72 h, then parked); permanent ones are
   * dead-lettered at once, for the failing record only.
   */
  maxAttempts?: number;
}

/**
 * Records claimed per round by default. A round reads HubSpot once per 50 new contacts (100 known ones) and writes once
 * per 100, but pays a fixed call per round (the contacts' companies, ≤ 1,000 a call): 1,000 records fill that call,
 * so a backlog costs the fewest calls per event (B9's burst, B3).
 */
export const CLAIM_LIMIT = 1_000;

export interface ProcessResult {
  /** Inbox events claimed. */
  claimed: number;
  /** The records those events concern; equal to the claim limit when more were waiting. */
  records: number;
  evaluated: number;
  transitions: number;
}

/**
 * One round of the worker: claim inbox events, coalesce them per record, read current facts from HubSpot in
 * batches, decide with the engine, and commit ledger, state and outbox with the inbox completion in one
 * transaction. Events are only triggers: the decision is made on re-read current facts, so order and duplicates
 * of deliveries do not matter.
 */
export async function processInboxOnce(deps: PipelineDeps): Promise<ProcessResult> {
  const now = deps.clock.now();
  const events = await deps.store.inbox.claim({ workerId: deps.workerId, limit: deps.claimLimit ?? CLAIM_LIMIT, leaseMs: deps.leaseMs ?? 120_000, now });
  const byPortal = new Map<PortalId, InboxEvent[]>();
  for (const e of events) {
    const portalEvents = byPortal.get(e.portalId);
    if (portalEvents) portalEvents.push(e);
    else byPortal.set(e.portalId, [e]);
  }
  const records = new Set(events.map((e) => `${e.portalId}:${recordKeyOf(e.objectType, e.objectId)}`)).size;
  const total: ProcessResult = { claimed: events.length, records, evaluated: 0, transitions: 0 };
  for (const [portalId, portalEvents] of byPortal) await processIsolated(deps, portalId, portalEvents, total);
  return total;
}

/**
 * Processes a portal's events; when that fails for a reason that may belong to one record (HubSpot refusing an input,
 * an unexpected error), the records are split in halves and each half is processed on its own, so one poison record
 * is isolated in about log2(n) extra rounds and never fails the others (I6). Transient failures hit every record
 * alike: the events go back for a later retry, none is dead-lettered.
 */
async function processIsolated(deps: PipelineDeps, portalId: PortalId, events: InboxEvent[], total: ProcessResult): Promise<void> {
  try {
    const result = await processPortalEvents(deps, portalId, events);
    total.evaluated += result.evaluated;
    total.transitions += result.transitions;
    // Work that was waiting out a HubSpot failure can go now: HubSpot answered this round.
    if (events.some((e) => e.failingSince !== null)) {
      await deps.store.inbox.resumeFailing(portalId, deps.clock.now());
      await deps.store.outbox.resumeFailing(portalId, deps.clock.now());
    }
  } catch (error) {
    const hubspotError = error instanceof HubSpotError ? error : null;
    const mayBeOneRecord = hubspotError === null || hubspotError.kind === 'validation' || hubspotError.kind === 'not_found';
    const records = byRecord(events);
    if (mayBeOneRecord && records.length > 1) {
      const half = Math.ceil(records.length / 2);
      await processIsolated(deps, portalId, records.slice(0, half).flat(), total);
      await processIsolated(deps, portalId, records.slice(half).flat(), total);
      return;
    }
    await handleFailure(deps, portalId, events, error);
  }
}

/** The events grouped by the record they concern, in claim order. */
function byRecord(events: InboxEvent[]): InboxEvent[][] {
  const groups = new Map<string, InboxEvent[]>();
  for (const event of events) {
    const key = recordKeyOf(event.objectType, event.objectId);
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  return [...groups.values()];
}

/**
 * The thin orchestrator of one portal's batch: classify the events (pure), apply erasures and merges, look up the
 * deals' contacts, read stored state, plan the reads (pure), read HubSpot, decide, and commit with the inbox
 * completion. Contacts someone else saved meanwhile go back to the queue.
 */
async function processPortalEvents(deps: PipelineDeps, portalId: PortalId, events: InboxEvent[]) {
  const now = deps.clock.now();
  const hubspot = roundHubSpot(deps.hubspot(portalId));
  const model = deps.model(portalId);

  // A privacy deletion erases the record and everything stored of it; its other events in this round, and any that
  // arrive later, are dropped (R15).
  const tombstoned = await deps.store.erasedRecords(
    portalId,
    events.flatMap((e): RecordKey[] => (e.objectType === 'unknown' ? [] : [{ objectType: e.objectType, objectId: e.objectId }])),
  );
  const batch = classifyInboxEvents(events, { nativeProperty: model.nativeProperty, tombstoned });
  for (const key of batch.erasures) await deps.store.purgeRecord(portalId, key, now);
  for (const merge of batch.merges) await deps.store.mergeRecords(portalId, merge.objectType, merge.winner, merge.losers, now);

  // A deal that opened, won or lost moves the contacts associated with it.
  const dealContacts = new Set<string>();
  for (const ids of chunk(batch.deals, ASSOCIATION_BATCH_LIMIT)) {
    for (const contactIds of (await hubspot.associations('deal', 'contact', ids)).values()) contactIds.forEach((id) => dealContacts.add(id));
  }
  const contacts = [...new Set([...batch.contacts, ...dealContacts])];

  // Stored state is read in chunks, HubSpot once for the whole round: readContactFacts batches reads by 100 (50 with
  // history), and associations (≤ 1,000 ids a call) and deal reads across all the round's contacts, not per chunk.
  const states = new Map<string, StoredState>();
  const storedEvents = new Map<string, KeyedFactEvent[]>();
  const storedProperties = new Map<string, StoredPropertyValue[]>();
  for (const ids of chunk(contacts, BATCH_READ_LIMIT)) {
    const keys: RecordKey[] = ids.map((objectId) => ({ objectType: 'contact', objectId }));
    const [chunkStates, chunkEvents, chunkProperties] = await Promise.all([
      deps.store.states.getMany(portalId, keys),
      deps.store.factEvents.getMany(portalId, keys),
      deps.store.recordProperties.getMany(portalId, keys),
    ]);
    chunkStates.forEach((value, key) => states.set(key, value));
    chunkEvents.forEach((value, key) => storedEvents.set(key, value));
    chunkProperties.forEach((value, key) => storedProperties.set(key, value));
  }
  const { knownIds, historyIds } = planContactReads(batch, { contacts, dealContacts, states, model });
  const { readings } = await readContactFacts({ hubspot, model, knownIds, historyIds, changes: batch.changes });

  let evaluated = 0;
  let transitions = 0;
  const commits: RecordCommit[] = [];
  for (const decided of decideContacts({ model, readings, states, storedEvents, storedProperties, changes: batch.changes, readAt: deps.clock.now() })) {
    evaluated++;
    transitions += decided.decision.steps.length;
    if (decided.commit) commits.push(decided.commit);
  }

  // The companies of the moved contacts, and those asking for a refresh: their journey rows go in the same
  // transaction as the contacts' rows.
  commits.push(...(await companyCommits({ store: deps.store, hubspot, model }, portalId, commits, deps.clock.now(), { alsoCompanies: batch.companies })));
  // The events are completed in the commit's transaction (one commit per round, not two), except those of records
  // someone else saved meanwhile: they go back to the queue at once, and the next round re-reads them.
  const { conflicts } = await deps.store.unitOfWork.commitEvaluations(
    portalId,
    commits,
    events.map((e) => e.id),
    deps.workerId,
    deps.clock.now(),
  );
  const conflicted = new Set(conflicts.map((c) => recordKeyOf(c.objectType, c.objectId)));
  const retry = events.filter((e) => conflicted.has(recordKeyOf(e.objectType, e.objectId)));
  if (retry.length > 0)
    await deps.store.inbox.release(
      portalId,
      retry.map((e) => e.id),
      deps.workerId,
      deps.clock.now(),
      'concurrent update',
    );
  return { evaluated, transitions };
}

async function handleFailure(deps: PipelineDeps, portalId: PortalId, events: InboxEvent[], error: unknown) {
  const now = deps.clock.now();
  const ids = events.map((e) => e.id);
  const attempts = Math.max(...events.map((e) => e.attempts));
  const hubspotError = error instanceof HubSpotError ? error : null;
  if (hubspotError?.kind === 'daily_limit') {
    deps.logger.warn({ portalId }, 'daily API limit reached: parking this portal, probing hourly until the reset');
    await deps.store.inbox.release(portalId, ids, deps.workerId, dailyLimitRetryAt(now), hubspotError.message);
    await raiseDailyLimitAlert(deps, portalId, now);
    return;
  }
  if (hubspotError?.kind === 'validation' || hubspotError?.kind === 'not_found') {
    // Permanent: HubSpot refuses this record's input; retrying cannot help. The caller isolated it to one record.
    deps.logger.error({ portalId, err: error, events: ids.length }, 'inbox events dead-lettered: HubSpot refused the record');
    await deps.store.inbox.deadLetter(portalId, ids, deps.workerId, `HubSpot refused the record (${hubspotError.status ?? 'no status'}): ${hubspotError.message}`, now);
    return;
  }
  if (hubspotError) {
    // Transient (429, 5xx, timeout, refused connection) or a token that does not work: never exhausted (I7).
    const failingSince = Math.min(now, ...events.map((e) => e.failingSince ?? now));
    const retryAt = hubspotError.kind === 'auth' ? now + 10 * 60_000 : transientRetryAt({ now, attempts, failingSince, retryAfterMs: hubspotError.retryAfterMs });
    deps.logger.warn({ portalId, kind: hubspotError.kind, retryInMs: retryAt - now }, 'inbox round failed; events released for retry');
    await deps.store.inbox.release(portalId, ids, deps.workerId, retryAt, hubspotError.message, failingSince);
    await raisePortalFailingAlert(deps, portalId, failingSince, now);
    return;
  }
  // An unexpected error of one record: each event has its own budget of attempts.
  const maxAttempts = deps.maxAttempts ?? 10;
  const exhausted = events.filter((e) => e.attempts >= maxAttempts);
  const again = events.filter((e) => e.attempts < maxAttempts);
  if (exhausted.length > 0) {
    deps.logger.error({ portalId, err: error, events: exhausted.length }, 'inbox events dead-lettered after repeated failures');
    await deps.store.inbox.deadLetter(
      portalId,
      exhausted.map((e) => e.id),
      deps.workerId,
      `failed ${maxAttempts} times: ${(error as Error).message}`,
      now,
    );
  }
  if (again.length > 0) {
    const wait = retryDelayMs(Math.max(...again.map((e) => e.attempts)));
    deps.logger.warn({ portalId, kind: 'unexpected', err: error, retryInMs: wait }, 'inbox round failed; events released for retry');
    await deps.store.inbox.release(
      portalId,
      again.map((e) => e.id),
      deps.workerId,
      now + wait,
      (error as Error).message,
    );
  }
}
