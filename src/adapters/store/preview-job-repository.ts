import type { Kysely, Selectable } from 'kysely';
import type { PreviewJob, PreviewJobPort, PreviewJobStatus, PreviewJobSubject } from '../../app/ports/preview-job-port';
import type { PortalId } from '../../app/ports/store-ports';
import type { Database, PreviewJobsTable } from './schema';
import { isUniqueViolation } from './unique-violation';

/** The settings Preview's background jobs (migration 0022). */
export class PreviewJobRepository implements PreviewJobPort {
  constructor(private readonly db: Kysely<Database>) {}

  async start(portalId: PortalId, subject: PreviewJobSubject & { contactsTotal: number; startedBy: string | null }, now: number): Promise<{ started: boolean; job: PreviewJob }> {
    try {
      const row = await this.db
        .insertInto('preview_jobs')
        .values({
          portal_id: portalId,
          status: 'running',
          draft_revision: subject.draftRevision,
          draft_saved_at: subject.draftSavedAt,
          published_revision: subject.publishedRevision,
          period_start: subject.period.start,
          period_end: subject.period.end,
          contacts_done: 0,
          contacts_total: subject.contactsTotal,
          result: null,
          error: null,
          started_by: subject.startedBy,
          started_at: now,
          heartbeat_at: now,
          finished_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { started: true, job: toJob(row) };
    } catch (error) {
      // Another request (or process) started the portal's preview a moment earlier: the one-running index refused
      // this insert, and that job is the answer.
      if (!isUniqueViolation(error)) throw error;
      const running = await this.running(portalId);
      if (!running) throw error;
      return { started: false, job: running };
    }
  }

  async get(portalId: PortalId, id: number): Promise<PreviewJob | null> {
    const row = await this.db.selectFrom('preview_jobs').selectAll().where('portal_id', '=', portalId).where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async latest(portalId: PortalId): Promise<PreviewJob | null> {
    const row = await this.db.selectFrom('preview_jobs').selectAll().where('portal_id', '=', portalId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async running(portalId: PortalId): Promise<PreviewJob | null> {
    const row = await this.db.selectFrom('preview_jobs').selectAll().where('portal_id', '=', portalId).where('status', '=', 'running').executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async heartbeat(portalId: PortalId, id: number, progress: { contactsDone: number; contactsTotal: number }, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('preview_jobs')
      .set({ contacts_done: progress.contactsDone, contacts_total: progress.contactsTotal, heartbeat_at: now })
      .where('portal_id', '=', portalId)
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async finish(portalId: PortalId, id: number, end: { status: 'done'; result: unknown } | { status: 'failed'; error: string }, now: number): Promise<boolean> {
    const values = end.status === 'done' ? { status: 'done', result: JSON.stringify(end.result), error: null } : { status: 'failed', result: null, error: end.error };
    const result = await this.db
      .updateTable('preview_jobs')
      .set({ ...values, heartbeat_at: now, finished_at: now })
      .where('portal_id', '=', portalId)
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async supersede(portalId: PortalId, id: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('preview_jobs')
      .set({ status: 'superseded', finished_at: now })
      .where('portal_id', '=', portalId)
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async failStale(portalId: PortalId, heartbeatBefore: number, error: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('preview_jobs')
      .set({ status: 'failed', error, finished_at: now })
      .where('portal_id', '=', portalId)
      .where('status', '=', 'running')
      .where('heartbeat_at', '<', heartbeatBefore)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async prune(portalId: PortalId, keep: number): Promise<void> {
    const newest = await this.db.selectFrom('preview_jobs').select('id').where('portal_id', '=', portalId).orderBy('id', 'desc').offset(keep).limit(1).executeTakeFirst();
    if (!newest) return;
    await this.db.deleteFrom('preview_jobs').where('portal_id', '=', portalId).where('id', '<=', newest.id).where('status', '<>', 'running').execute();
  }
}

function toJob(row: Selectable<PreviewJobsTable>): PreviewJob {
  return {
    id: Number(row.id),
    portalId: Number(row.portal_id),
    status: row.status as PreviewJobStatus,
    draftRevision: Number(row.draft_revision),
    draftSavedAt: Number(row.draft_saved_at),
    publishedRevision: row.published_revision === null ? null : Number(row.published_revision),
    period: { start: Number(row.period_start), end: Number(row.period_end) },
    contactsDone: Number(row.contacts_done),
    contactsTotal: Number(row.contacts_total),
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error,
    startedBy: row.started_by,
    startedAt: Number(row.started_at),
    heartbeatAt: Number(row.heartbeat_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}
