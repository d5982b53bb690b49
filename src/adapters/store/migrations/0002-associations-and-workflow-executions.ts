import type { Kysely, Migration } from 'kysely';

/**
 * Two read-side tables for what HubSpot users touch:
 * - record_associations / association_refreshes: which contacts and companies belong to a company or a deal, as
 *   last read from HubSpot, so the company and deal cards answer from our store instead of calling HubSpot while
 *   the user waits. A refresh row records when a (record, associated type) pair was last read, so "never read" and
 *   "read, and empty" are different answers.
 * - workflow_action_executions: the response we gave to each workflow-action execution, keyed by HubSpot's
 *   callbackId, so a retried execution gets the same answer without a second decision.
 */
export function associationsAndWorkflowExecutions(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('record_associations')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('associated_type', 'text', (col) => col.notNull())
        .addColumn('associated_id', 'text', (col) => col.notNull())
        .addColumn('label', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('record_associations_pk', ['portal_id', 'object_type', 'object_id', 'associated_type', 'associated_id'])
        .execute();

      await db.schema
        .createTable('association_refreshes')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('associated_type', 'text', (col) => col.notNull())
        .addColumn('refreshed_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('association_refreshes_pk', ['portal_id', 'object_type', 'object_id', 'associated_type'])
        .execute();

      await db.schema
        .createTable('workflow_action_executions')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('callback_id', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('object_type', 'text', (col) => col.notNull())
        .addColumn('object_id', 'text', (col) => col.notNull())
        .addColumn('output_fields', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('workflow_action_executions_pk', ['portal_id', 'callback_id'])
        .execute();
    },
  };
}
