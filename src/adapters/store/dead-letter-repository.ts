import type { Kysely } from 'kysely';
import type { DeadLetter, DeadLetterPort, PortalId, QuarantinedEvent } from '../../app/ports/store-ports';
import { portalIdsIn } from './portal-ids';
import type { Database, DeadLettersTable } from './schema';

type NewDeadLetter = Omit<DeadLettersTable, 'id' | 'retried_at' | 'dedup_key'>;

/** Records failures that will not be retried automatically; called inside the transaction that marks them dead. */
export async function recordDeadLetters(db: Kysely<Database>, rows: NewDeadLetter[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('dead_letters').values(rows).execute();
}

export class DeadLetterRepository implements DeadLetterPort {
  constructor(private readonly db: Kysely<Database>) {}

  async list(portalId: PortalId | null, options: { includeRetried?: boolean; limit?: number } = {}): Promise<DeadLetter[]> {
    const rows = await this.db
      .selectFrom('dead_letters')
      .selectAll()
      .$if(portalId !== null, (query) => query.where('portal_id', '=', portalId as PortalId))
      .$if(!options.includeRetried, (query) => query.where('retried_at', 'is', null))
      .orderBy('failed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      portalId: row.portal_id,
      source: row.source,
      refId: row.ref_id,
      objectType: row.object_type,
      objectId: row.object_id,
      reason: row.reason,
      payload: row.payload,
      failedAt: row.failed_at,
      retriedAt: row.retried_at,
    }));
  }

  async portals(): Promise<PortalId[]> {
    return portalIdsIn(this.db, 'dead_letters');
  }

  async quarantine(portalId: PortalId, events: QuarantinedEvent[], now: number): Promise<number> {
    if (events.length === 0) return 0;
    const inserted = await this.db
      .insertInto('dead_letters')
      .values(
        events.map((event) => ({
          portal_id: portalId,
          source: 'webhook' as const,
          ref_id: 0,
          object_type: event.objectType,
          object_id: event.objectId,
          reason: event.reason,
          payload: event.raw,
          failed_at: now,
          dedup_key: event.dedupKey,
        })),
      )
      .onConflict((conflict) => conflict.columns(['portal_id', 'dedup_key']).doNothing())
      .returning('id')
      .execute();
    return inserted.length;
  }

  async retry(portalId: PortalId, id: number, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const letter = await trx
        .selectFrom('dead_letters')
        .select(['source', 'ref_id'])
        .where('portal_id', '=', portalId)
        .where('id', '=', id)
        .where('retried_at', 'is', null)
        .executeTakeFirst();
      // A quarantined webhook event never reached a queue: there is nothing to put back.
      if (letter === undefined || letter.source === 'webhook') return false;
      // Back in its queue as if new: due now, attempt count reset, so the normal retry budget applies again.
      const requeue = { status: 'pending', next_attempt_at: now, attempts: 0, lease_owner: null, lease_until: null } as const;
      const requeued =
        letter.source === 'inbox'
          ? await trx.updateTable('inbox_events').set(requeue).where('portal_id', '=', portalId).where('id', '=', letter.ref_id).where('status', '=', 'dead').executeTakeFirst()
          : await trx
              .updateTable('outbox')
              .set({ ...requeue, updated_at: now })
              .where('portal_id', '=', portalId)
              .where('id', '=', letter.ref_id)
              .where('status', '=', 'dead')
              .executeTakeFirst();
      // The original row is gone (privacy purge) or no longer dead: nothing to put back.
      if (Number(requeued.numUpdatedRows) === 0) return false;
      await trx.updateTable('dead_letters').set({ retried_at: now }).where('portal_id', '=', portalId).where('id', '=', id).execute();
      return true;
    });
  }
}
