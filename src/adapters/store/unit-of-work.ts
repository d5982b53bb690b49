import type { Kysely } from 'kysely';
import type { PortalId, RecordCommit, RecordKey, UnitOfWorkPort } from '../../app/ports/store-ports';
import { aggregateDelta } from '../../core/ledger';
import { recordKeyString } from '../../core';
import { insertAlertsOfRecords } from './alert-repository';
import { insertFactEventsOfRecords } from './fact-event-repository';
import { completeInboxEvents } from './inbox-repository';
import type { StoreDialect } from './database';
import { enterAggregateFence } from './ledger-aggregate-fence';
import { applyAggregateDelta, fencedHistories } from './ledger-aggregate-repository';
import { appendLedgerOfCommits } from './ledger-repository';
import { applyMarketingPause } from './marketing-pause-repository';
import { enqueueOutboxOfRecords } from './outbox-repository';
import type { Database } from './schema';
import { saveStatesIfUnchanged } from './state-repository';
import { upsertRecordPropertiesOfRecords } from './record-property-repository';

export class UnitOfWork implements UnitOfWorkPort {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
  ) {}

  /**
   * One transaction for the whole batch. A record whose version moved on is skipped entirely (none of its rows are
   * written) and reported; its inbox events stay leased so the caller can re-evaluate and complete them, or — if it
   * crashes — the lease runs out and another worker picks them up. Any error rolls everything back.
   * The rows are written table by table in multi-row statements (on PostgreSQL every statement is a round trip), one
   * segment of distinct records at a time: a record committed twice in one batch has its second commit in a later
   * segment, so it sees the first, as it would one commit at a time.
   */
  async commitEvaluations(portalId: PortalId, commits: RecordCommit[], completeInboxIds: number[], workerId: string, now: number): Promise<{ conflicts: RecordKey[] }> {
    return this.db.transaction().execute(async (trx) => {
      const conflicts: RecordKey[] = [];
      const appended = new AppendedRows();
      for (const segment of distinctRecordSegments(commits)) {
        // The version check comes first: it is what makes the rest of the record's writes legitimate.
        const saved = await saveStatesIfUnchanged(trx, portalId, segment, now);
        const kept = segment.filter((commit) => saved.has(recordKeyString(commit.key)));
        for (const commit of segment) if (!saved.has(recordKeyString(commit.key))) conflicts.push(commit.key);
        await insertFactEventsOfRecords(
          trx,
          portalId,
          kept.map((c) => ({ key: c.key, events: c.newFactEvents })),
        );
        await upsertRecordPropertiesOfRecords(
          trx,
          portalId,
          kept.map((c) => ({ key: c.key, values: c.properties ?? [] })),
        );
        const inserted = await appendLedgerOfCommits(
          trx,
          portalId,
          kept.map((c) => c.ledger),
          now,
        );
        for (const commit of kept) appended.add(commit, inserted);
        await enqueueOutboxOfRecords(
          trx,
          portalId,
          kept.map((c) => ({ key: c.key, payloads: c.outbox })),
          now,
        );
        for (const commit of kept) await applyMarketingPause(trx, portalId, commit.key, commit.pause, now);
        await insertAlertsOfRecords(
          trx,
          portalId,
          kept.map((c) => ({ key: c.key, alerts: c.alerts })),
          now,
        );
      }
      await appended.moveAggregates(trx, this.dialect, portalId);
      await completeInboxEvents(trx, portalId, completeInboxIds, workerId, now, conflicts);
      return { conflicts };
    });
  }
}

/** Consecutive runs of commits in which no record appears twice, in the batch's order. */
export function distinctRecordSegments(commits: readonly RecordCommit[]): RecordCommit[][] {
  const segments: RecordCommit[][] = [];
  let segment: RecordCommit[] = [];
  let keys = new Set<string>();
  for (const commit of commits) {
    const key = recordKeyString(commit.key);
    if (keys.has(key)) {
      segments.push(segment);
      segment = [];
      keys = new Set();
    }
    segment.push(commit);
    keys.add(key);
  }
  if (segment.length > 0) segments.push(segment);
  return segments;
}

/**
 * The ledger rows a batch actually inserted (a replayed commit inserts none), and the aggregates moved by exactly
 * those: the touched records' histories are read once for the whole batch, after the inserts; without the new rows
 * they are the histories before. Records a rebuild of the aggregates in progress has not reached are left to it
 * (ledger-aggregate-fence.ts): the read says which, so the fence costs no statement on SQLite and one on PostgreSQL
 * (its shared lock), and only for a batch that inserted ledger rows.
 */
class AppendedRows {
  private readonly transitionIds = new Set<string>();
  private readonly records = new Map<string, RecordKey>();

  add(commit: RecordCommit, inserted: Set<string>): void {
    for (const entry of commit.ledger) {
      if (!inserted.has(entry.transitionId)) continue;
      this.transitionIds.add(entry.transitionId);
      this.records.set(recordKeyString(entry), { objectType: entry.objectType, objectId: entry.objectId });
    }
  }

  async moveAggregates(trx: Kysely<Database>, dialect: StoreDialect, portalId: PortalId): Promise<void> {
    if (this.records.size === 0) return;
    await enterAggregateFence(trx, dialect, portalId, 'shared');
    const after = (await fencedHistories(trx, dialect, portalId, [...this.records.values()])).reached;
    const before = after.map((history) => history.filter((row) => !this.transitionIds.has(row.transitionId)));
    await applyAggregateDelta(trx, portalId, aggregateDelta(before, after));
  }
}
