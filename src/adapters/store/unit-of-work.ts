import type { Kysely } from 'kysely';
import type { PortalId, RecordCommit, RecordKey, UnitOfWorkPort } from '../../app/ports/store-ports';
import { insertAlerts } from './alert-repository';
import { insertFactEvents } from './fact-event-repository';
import { completeInboxEvents } from './inbox-repository';
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
        await appendLedgerEntries(trx, portalId, commit.ledger, now);
        await enqueueOutbox(trx, portalId, commit.key, commit.outbox, now);
        await applyMarketingPause(trx, portalId, commit.key, commit.pause, now);
        await insertAlerts(trx, portalId, commit.key, commit.alerts, now);
      }
      await completeInboxEvents(trx, portalId, completeInboxIds, workerId, now, conflicts);
      return { conflicts };
    });
  }
}
