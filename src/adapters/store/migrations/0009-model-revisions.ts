import type { Kysely, Migration } from 'kysely';

/**
 * model_revisions: each portal's lifecycle model, kept as numbered revisions (issue 14) so an admin edits it in
 * HubSpot's settings instead of a file on the server, and every change can be seen, diffed and undone. A revision is
 * a `draft` (at most one per portal, saved over while the admin edits), `published` (exactly one per portal once
 * seeded: the rules the engine runs) or `archived` (published before; publishing it again is the rollback).
 * `revision` counts per portal from 1 (the model file or the default, seeded at install); it is not the document's
 * format `version`. Author and note say who changed the rules and why; times are epoch ms.
 *
 * ledger.model_revision: the revision that decided each row (null for rows written before revisions existed, or by a
 * backend running a model file), so a report or an audit knows which rules produced which move.
 */
export function modelRevisions(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('model_revisions')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('revision', 'integer', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('document', 'text', (col) => col.notNull())
        .addColumn('note', 'text', (col) => col.notNull())
        .addColumn('author', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addColumn('published_at', 'bigint')
        .addColumn('published_by', 'text')
        .addPrimaryKeyConstraint('model_revisions_pk', ['portal_id', 'revision'])
        .execute();
      await db.schema.createIndex('model_revisions_status_idx').on('model_revisions').columns(['portal_id', 'status']).execute();
      await db.schema.alterTable('ledger').addColumn('model_revision', 'integer').execute();
    },
  };
}
