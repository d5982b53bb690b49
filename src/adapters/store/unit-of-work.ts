import type { Kysely } from 'kysely';
import type { PortalId, RecordCommit, RecordKey, UnitOfWorkPort } from '../../app/ports/store-ports';
import { aggregateDelta } from '../../core/ledger';
import { insertAlerts } from './alert-repository';
import { insertFactEvents } from './fact-event-repository';
import { completeInboxEvents } from './inbox-repository';
import { applyAggregateDelta, recordHistories } from './ledger-aggregate-repository';
import { appendLedgerEntries } from './ledger-repository';
import { applyMarketingPause } from './marketing-pause-repository';
import { enqueueOutbox } from './outbox-repository';
import type { Database } from './schema';
import { saveStateIfUnchanged } from './state-repository';

export class UnitOfWork implements UnitOfWorkPort {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One transaction for the whole batch. A record whose version moved on is skipped entirely (none of its rows are
   * written) and reported; its inbox events stay leased so the caller can re-evaluate and complete them, or — if it
   * crashes — the lease runs out and another worker picks them up. Any error rolls everything back.
   */
  async commitEvaluations(
    portalId: PortalId,
    commits: RecordCommit[],
    completeInboxIds: number[],
    workerId: string,
    now: number,
  ): Promise<{ conflicts: RecordKey[] }> {
    return this.db.transaction().execute(async (trx) => {
      const conflicts: RecordKey[] = [];
      for (const commit of commits) {
        // The version check comes first: it is what makes the rest of the record's writes legitimate.
        if (!(await saveStateIfUnchanged(trx, portalId, commit, now))) {
          conflicts.push(commit.key);
          continue;
        }
        await insertFactEvents(trx, portalId, commit.key, commit.newFactEvents);
        await appendWithAggregates(trx, portalId, commit, now);
        await enqueueOutbox(trx, portalId, commit.key, commit.outbox, now);
        await applyMarketingPause(trx, portalId, commit.key, commit.pause, now);
        await insertAlerts(trx, portalId, commit.key, commit.alerts, now);
      }
      await completeInboxEvents(trx, portalId, completeInboxIds, workerId, now, conflicts);
      return { conflicts };
    });
  }
}

/**
 * The commit's ledger rows, and the aggregates moved by exactly the rows inserted (a replayed commit inserts none).
 * The record's history is read once, after the insert; without the new rows it is the history before.
 */
async function appendWithAggregates(trx: Kysely<Database>, portalId: PortalId, commit: RecordCommit, now: number): Promise<void> {
  const inserted = await appendLedgerEntries(trx, portalId, commit.ledger, now);
  if (inserted.size === 0) return;
  const keys = [...new Map(commit.ledger.map((e) => [`${e.objectType}:${e.objectId}`, { objectType: e.objectType, objectId: e.objectId }])).values()];
  const after = await recordHistories(trx, portalId, keys);
  const before = after.map((history) => history.filter((row) => !inserted.has(row.transitionId)));
  await applyAggregateDelta(trx, portalId, aggregateDelta(before, after));
}
