import type { Kysely } from 'kysely';
import type { PortalId, RecordCommit, RecordKey, UnitOfWorkPort } from '../../app/ports/store-ports';
import { aggregateDelta } from '../../core/ledger';
import { recordKeyString } from '../../core';
import { insertAlerts } from './alert-repository';
import { insertFactEvents } from './fact-event-repository';
import { completeInboxEvents } from './inbox-repository';
import { applyAggregateDelta, recordHistories } from './ledger-aggregate-repository';
import { appendLedgerEntries } from './ledger-repository';
import { applyMarketingPause } from './marketing-pause-repository';
import { enqueueOutbox } from './outbox-repository';
import type { Database } from './schema';
import { saveStateIfUnchanged } from './state-repository';
import { upsertRecordProperties } from './record-property-repository';

export class UnitOfWork implements UnitOfWorkPort {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One transaction for the whole batch. A record whose version moved on is skipped entirely (none of its rows are
   * written) and reported; its inbox events stay leased so the caller can re-evaluate and complete them, or — if it
   * crashes — the lease runs out and another worker picks them up. Any error rolls everything back.
   */
  async commitEvaluations(portalId: PortalId, commits: RecordCommit[], completeInboxIds: number[], workerId: string, now: number): Promise<{ conflicts: RecordKey[] }> {
    return this.db.transaction().execute(async (trx) => {
      const conflicts: RecordKey[] = [];
      const appended = new AppendedRows();
      for (const commit of commits) {
        // The version check comes first: it is what makes the rest of the record's writes legitimate.
        if (!(await saveStateIfUnchanged(trx, portalId, commit, now))) {
          conflicts.push(commit.key);
          continue;
        }
        await insertFactEvents(trx, portalId, commit.key, commit.newFactEvents);
        await upsertRecordProperties(trx, portalId, commit.key, commit.properties ?? []);
        appended.add(commit, await appendLedgerEntries(trx, portalId, commit.ledger, now));
        await enqueueOutbox(trx, portalId, commit.key, commit.outbox, now);
        await applyMarketingPause(trx, portalId, commit.key, commit.pause, now);
        await insertAlerts(trx, portalId, commit.key, commit.alerts, now);
      }
      await appended.moveAggregates(trx, portalId);
      await completeInboxEvents(trx, portalId, completeInboxIds, workerId, now, conflicts);
      return { conflicts };
    });
  }
}

/**
 * The ledger rows a batch actually inserted (a replayed commit inserts none), and the aggregates moved by exactly
 * those: the touched records' histories are read once for the whole batch, after the inserts; without the new rows
 * they are the histories before.
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

  async moveAggregates(trx: Kysely<Database>, portalId: PortalId): Promise<void> {
    if (this.records.size === 0) return;
    const after = await recordHistories(trx, portalId, [...this.records.values()]);
    const before = after.map((history) => history.filter((row) => !this.transitionIds.has(row.transitionId)));
    await applyAggregateDelta(trx, portalId, aggregateDelta(before, after));
  }
}
