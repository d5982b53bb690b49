import type { Kysely, Selectable } from 'kysely';
import type { ModelRevision, ModelRevisionPort, ModelRevisionStatus, ModelRevisionSummary, PublishOutcome } from '../../app/ports/model-revision-port';
import type { PortalId } from '../../app/ports/store-ports';
import type { Database, ModelRevisionsTable } from './schema';
import { isUniqueViolation } from './unique-violation';

const SUMMARY_COLUMNS = ['revision', 'status', 'note', 'author', 'created_at', 'updated_at', 'published_at', 'published_by'] as const;

/** Per-portal model revisions (migration 0009). */
export class ModelRevisionRepository implements ModelRevisionPort {
  constructor(private readonly db: Kysely<Database>) {}

  async published(portalId: PortalId): Promise<ModelRevision | null> {
    return this.one(portalId, 'published');
  }

  async publishedRevisions(portalIds: readonly PortalId[]): Promise<Map<PortalId, number>> {
    if (portalIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('model_revisions')
      .select(['portal_id', 'revision'])
      .where('portal_id', 'in', [...portalIds])
      .where('status', '=', 'published')
      .execute();
    return new Map(rows.map((row) => [Number(row.portal_id), Number(row.revision)]));
  }

  async draft(portalId: PortalId): Promise<ModelRevision | null> {
    return this.one(portalId, 'draft');
  }

  async get(portalId: PortalId, revision: number): Promise<ModelRevision | null> {
    const row = await this.db.selectFrom('model_revisions').selectAll().where('portal_id', '=', portalId).where('revision', '=', revision).executeTakeFirst();
    return row ? toRevision(row) : null;
  }

  async list(portalId: PortalId, options: { limit: number; before?: number }): Promise<ModelRevisionSummary[]> {
    let query = this.db.selectFrom('model_revisions').select(SUMMARY_COLUMNS).where('portal_id', '=', portalId);
    if (options.before !== undefined) query = query.where('revision', '<', options.before);
    const rows = await query.orderBy('revision', 'desc').limit(options.limit).execute();
    return rows.map(toSummary);
  }

  async seed(portalId: PortalId, document: unknown, note: string, now: number): Promise<void> {
    // Two processes starting together: the primary key lets one insert win; the other's insert does nothing.
    await this.db
      .insertInto('model_revisions')
      .values({
        portal_id: portalId,
        revision: 1,
        status: 'published',
        document: JSON.stringify(document),
        note,
        author: null,
        created_at: now,
        updated_at: now,
        published_at: now,
        published_by: null,
      })
      .onConflict((c) => c.columns(['portal_id', 'revision']).doNothing())
      .execute();
  }

  async saveDraft(portalId: PortalId, draft: { document: unknown; note: string; author: string | null }, now: number): Promise<ModelRevision> {
    try {
      return await this.saveDraftOnce(portalId, draft, now);
    } catch (error) {
      // A concurrent first save started the draft (migration 0017's one-draft index, or the revision number taken):
      // this save goes over it, as if it had come a moment later.
      if (!isUniqueViolation(error)) throw error;
      return this.saveDraftOnce(portalId, draft, now);
    }
  }

  private async saveDraftOnce(portalId: PortalId, draft: { document: unknown; note: string; author: string | null }, now: number): Promise<ModelRevision> {
    return this.db.transaction().execute(async (trx) => {
      const values = { document: JSON.stringify(draft.document), note: draft.note, author: draft.author, updated_at: now };
      const existing = await trx.selectFrom('model_revisions').select('revision').where('portal_id', '=', portalId).where('status', '=', 'draft').executeTakeFirst();
      let revision: number;
      if (existing) {
        revision = Number(existing.revision);
        await trx.updateTable('model_revisions').set(values).where('portal_id', '=', portalId).where('revision', '=', revision).execute();
      } else {
        const newest = await trx
          .selectFrom('model_revisions')
          .select((eb) => eb.fn.max('revision').as('newest'))
          .where('portal_id', '=', portalId)
          .executeTakeFirst();
        revision = Number(newest?.newest ?? 0) + 1;
        // A concurrent first save takes the same number: the primary key (or the one-draft index) refuses the second insert.
        await trx
          .insertInto('model_revisions')
          .values({ portal_id: portalId, revision, status: 'draft', created_at: now, published_at: null, published_by: null, ...values })
          .execute();
      }
      const row = await trx.selectFrom('model_revisions').selectAll().where('portal_id', '=', portalId).where('revision', '=', revision).executeTakeFirstOrThrow();
      return toRevision(row);
    });
  }

  async publish(portalId: PortalId, revision: number, by: string | null, now: number): Promise<PublishOutcome> {
    return this.db.transaction().execute(async (trx): Promise<PublishOutcome> => {
      const target = await trx.selectFrom('model_revisions').select('status').where('portal_id', '=', portalId).where('revision', '=', revision).executeTakeFirst();
      if (!target) return { outcome: 'not_found' };
      if (target.status === 'published') return { outcome: 'already_published' };
      const current = await trx.selectFrom('model_revisions').select('revision').where('portal_id', '=', portalId).where('status', '=', 'published').executeTakeFirst();
      await trx.updateTable('model_revisions').set({ status: 'archived', updated_at: now }).where('portal_id', '=', portalId).where('status', '=', 'published').execute();
      await trx
        .updateTable('model_revisions')
        .set({ status: 'published', published_at: now, published_by: by, updated_at: now })
        .where('portal_id', '=', portalId)
        .where('revision', '=', revision)
        .execute();
      const row = await trx.selectFrom('model_revisions').selectAll().where('portal_id', '=', portalId).where('revision', '=', revision).executeTakeFirstOrThrow();
      return { outcome: 'published', revision: toRevision(row), previous: current ? Number(current.revision) : null };
    });
  }

  private async one(portalId: PortalId, status: ModelRevisionStatus): Promise<ModelRevision | null> {
    const row = await this.db.selectFrom('model_revisions').selectAll().where('portal_id', '=', portalId).where('status', '=', status).executeTakeFirst();
    return row ? toRevision(row) : null;
  }
}

function toSummary(row: Pick<Selectable<ModelRevisionsTable>, (typeof SUMMARY_COLUMNS)[number]>): ModelRevisionSummary {
  return {
    revision: Number(row.revision),
    status: row.status as ModelRevisionStatus,
    note: row.note,
    author: row.author,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    publishedAt: row.published_at === null ? null : Number(row.published_at),
    publishedBy: row.published_by,
  };
}

function toRevision(row: Selectable<ModelRevisionsTable>): ModelRevision {
  return { ...toSummary(row), document: JSON.parse(row.document) as unknown };
}
