import type { Kysely } from 'kysely';
import type { BlockedActionExecution, BlockedActionPort, PortalId } from '../../app/ports/store-ports';
import type { BlockedActionExecutionsTable, Database } from './schema';

export class BlockedActionRepository implements BlockedActionPort {
  constructor(private readonly db: Kysely<Database>) {}

  async saveOnce(portalId: PortalId, execution: BlockedActionExecution, now: number): Promise<void> {
    await this.db
      .insertInto('blocked_action_executions')
      .values({
        portal_id: portalId,
        callback_id: execution.callbackId,
        action: execution.action,
        payload: execution.payload,
        contact_ids: JSON.stringify(execution.contactIds),
        next_index: execution.nextIndex,
        first_outputs: execution.firstOutputs === null ? null : JSON.stringify(execution.firstOutputs),
        refusals: JSON.stringify(execution.refusals),
        status: 'working',
        created_at: execution.createdAt,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.columns(['portal_id', 'callback_id']).doNothing())
      .execute();
  }

  async open(portalId: PortalId, limit: number): Promise<BlockedActionExecution[]> {
    const rows = await this.db
      .selectFrom('blocked_action_executions')
      .selectAll()
      .where('portal_id', '=', portalId)
      .where('status', '<>', 'done')
      .orderBy('created_at')
      .orderBy('callback_id')
      .limit(limit)
      .execute();
    return rows.map(toExecution);
  }

  async saveProgress(portalId: PortalId, callbackId: string, progress: Pick<BlockedActionExecution, 'nextIndex' | 'firstOutputs' | 'refusals'>, now: number): Promise<void> {
    await this.db
      .updateTable('blocked_action_executions')
      .set({
        next_index: progress.nextIndex,
        first_outputs: progress.firstOutputs === null ? null : JSON.stringify(progress.firstOutputs),
        refusals: JSON.stringify(progress.refusals),
        updated_at: now,
      })
      .where('portal_id', '=', portalId)
      .where('callback_id', '=', callbackId)
      .execute();
  }

  async markDone(portalId: PortalId, callbackId: string, now: number): Promise<void> {
    await this.db.updateTable('blocked_action_executions').set({ status: 'done', updated_at: now }).where('portal_id', '=', portalId).where('callback_id', '=', callbackId).execute();
  }
}

function toExecution(row: BlockedActionExecutionsTable): BlockedActionExecution {
  return {
    callbackId: row.callback_id,
    action: row.action,
    payload: row.payload,
    contactIds: JSON.parse(row.contact_ids) as string[],
    nextIndex: Number(row.next_index),
    firstOutputs: row.first_outputs === null ? null : (JSON.parse(row.first_outputs) as Record<string, string>),
    refusals: JSON.parse(row.refusals) as string[],
    createdAt: Number(row.created_at),
  };
}
