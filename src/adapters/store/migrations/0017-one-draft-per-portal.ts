import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 14 (settings): a portal has at most one draft model revision, enforced by the database. Two first saves at
 * the same moment (two admins, or a double click, on PostgreSQL under READ COMMITTED) could each find no draft and
 * number a new one; the second then started a second draft. A database that already holds such a pair keeps its
 * newest draft and archives the older ones (they stay in the history), then the partial unique index refuses a second
 * draft from now on (ModelRevisionRepository.saveDraft saves over the winner's draft when refused).
 */
export function oneDraftPerPortal(): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await sql`update model_revisions set status = 'archived'
        where status = 'draft'
          and revision < (select max(newer.revision) from model_revisions newer where newer.portal_id = model_revisions.portal_id and newer.status = 'draft')`.execute(db);
      await db.schema
        .createIndex('model_revisions_one_draft_idx')
        .on('model_revisions')
        .column('portal_id')
        .unique()
        .where(sql<boolean>`status = 'draft'`)
        .execute();
    },
  };
}
