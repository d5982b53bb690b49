import type { ModelRevisionSummaryView, ModelRevisionView } from '../../contracts/settings-api';
import type { ModelRevision, ModelRevisionSummary } from '../ports/model-revision-port';

const iso = (ms: number) => new Date(ms).toISOString();

export function revisionSummaryView(revision: ModelRevisionSummary): ModelRevisionSummaryView {
  return {
    revision: revision.revision,
    status: revision.status,
    note: revision.note,
    author: revision.author,
    createdAt: iso(revision.createdAt),
    updatedAt: iso(revision.updatedAt),
    publishedAt: revision.publishedAt === null ? null : iso(revision.publishedAt),
    publishedBy: revision.publishedBy,
  };
}

export function revisionView(revision: ModelRevision): ModelRevisionView {
  return { ...revisionSummaryView(revision), document: revision.document };
}
