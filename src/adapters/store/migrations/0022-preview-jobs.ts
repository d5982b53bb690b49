import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../database';
import { createTableWithSurrogateId } from './surrogate-id';

/**
 * preview_jobs (issue 14): the settings page's Preview (the what-if replay of the draft on the recorded facts) runs as
 * a background job, because its cost grows with the portal (about 0.15 ms of CPU per contact) and a `hubspot.fetch`
 * gives up after 15 s. A row is one preview: the draft it replays (revision and the time it was last saved, since a
 * draft is saved over under the same revision number), the published revision it is compared with, the period, its
 * progress (contacts done of the total), and its result (the comparison, JSON) or its error. Any backend process
 * answers the page's poll from here. `heartbeat_at` is moved on by the process running the job while it runs: a
 * running job whose heartbeat stopped (its process died) is reported failed.
 *
 * At most one running preview per portal, enforced by a partial unique index (two processes starting one at the same
 * instant: the second insert is refused and answers with the first job). Times are epoch ms. A new table: nothing
 * else is touched, so it costs nothing on a database with 10,000,000 ledger rows.
 */
export function previewJobs(dialect: StoreDialect): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await createTableWithSurrogateId(db, dialect, 'preview_jobs')
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('draft_revision', 'integer', (col) => col.notNull())
        .addColumn('draft_saved_at', 'bigint', (col) => col.notNull())
        .addColumn('published_revision', 'integer')
        .addColumn('period_start', 'bigint', (col) => col.notNull())
        .addColumn('period_end', 'bigint', (col) => col.notNull())
        .addColumn('contacts_done', 'integer', (col) => col.notNull())
        .addColumn('contacts_total', 'integer', (col) => col.notNull())
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('started_by', 'text')
        .addColumn('started_at', 'bigint', (col) => col.notNull())
        .addColumn('heartbeat_at', 'bigint', (col) => col.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('preview_jobs_portal_idx').on('preview_jobs').columns(['portal_id', 'id']).execute();
      await db.schema
        .createIndex('preview_jobs_one_running_idx')
        .on('preview_jobs')
        .column('portal_id')
        .unique()
        .where(sql<boolean>`status = 'running'`)
        .execute();
    },
  };
}
