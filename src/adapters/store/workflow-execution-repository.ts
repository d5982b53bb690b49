import type { Kysely } from 'kysely';
import type { PortalId, WorkflowExecutionPort, WorkflowExecutionRecord } from '../../app/ports/store-ports';
import type { Database, WorkflowActionExecutionsTable } from './schema';

export class WorkflowExecutionRepository implements WorkflowExecutionPort {
  constructor(private readonly db: Kysely<Database>) {}

  async get(portalId: PortalId, callbackId: string): Promise<WorkflowExecutionRecord | null> {
    const row = await this.db.selectFrom('workflow_action_executions').selectAll().where('portal_id', '=', portalId).where('callback_id', '=', callbackId).executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  async saveOnce(portalId: PortalId, execution: WorkflowExecutionRecord): Promise<WorkflowExecutionRecord> {
    await this.db
      .insertInto('workflow_action_executions')
      .values({
        portal_id: portalId,
        callback_id: execution.callbackId,
        action: execution.action,
        object_type: execution.key.objectType,
        object_id: execution.key.objectId,
        output_fields: JSON.stringify(execution.outputFields),
        created_at: execution.createdAt,
      })
      // Two processes answering the same retried execution: the first stored answer is the one both return.
      .onConflict((conflict) => conflict.columns(['portal_id', 'callback_id']).doNothing())
      .execute();
    const stored = await this.get(portalId, execution.callbackId);
    if (!stored) throw new Error(`workflow execution ${execution.callbackId} was not stored`);
    return stored;
  }
}

function toRecord(row: WorkflowActionExecutionsTable): WorkflowExecutionRecord {
  return {
    callbackId: row.callback_id,
    action: row.action,
    key: { objectType: row.object_type, objectId: row.object_id },
    outputFields: JSON.parse(row.output_fields) as Record<string, string>,
    createdAt: Number(row.created_at),
  };
}
