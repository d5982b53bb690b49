import { diffModelDocuments } from '../../core';
import type { ModelDiffView, ModelRevisionList } from '../../contracts/settings-api';
import type { PortalId, Store } from '../ports/store-ports';
import { documentAsRead } from './document-as-read';
import { revisionSummaryView } from './revision-view';

export const REVISIONS_PAGE_SIZE = 20;

/** One page of the portal's model history, newest first; `nextBefore` asks for the next page (null: none). */
export async function listModelRevisions(deps: { store: Pick<Store, 'modelRevisions'> }, portalId: PortalId, before?: number): Promise<ModelRevisionList> {
  const page = await deps.store.modelRevisions.list(portalId, { limit: REVISIONS_PAGE_SIZE + 1, ...(before === undefined ? {} : { before }) });
  const shown = page.slice(0, REVISIONS_PAGE_SIZE);
  return { revisions: shown.map(revisionSummaryView), nextBefore: page.length > REVISIONS_PAGE_SIZE ? (shown.at(-1)?.revision ?? null) : null };
}

/**
 * What `revision` changes relative to `against` (default: the published revision), path by path (diffModelDocuments).
 * Both sides are compared as the engine reads them (defaults filled in), so a value written out in one revision and
 * left to its default in the other is no change. Reads two revisions, whatever the length of the history; each
 * side's validation is remembered per document content (documentAsRead).
 */
export async function diffModelRevisions(
  deps: { store: Pick<Store, 'modelRevisions'> },
  portalId: PortalId,
  revision: number,
  against?: number,
): Promise<{ outcome: 'diff'; diff: ModelDiffView } | { outcome: 'not_found'; revision: number }> {
  const [base, target] = await Promise.all([
    against === undefined ? deps.store.modelRevisions.published(portalId) : deps.store.modelRevisions.get(portalId, against),
    deps.store.modelRevisions.get(portalId, revision),
  ]);
  if (!base) return { outcome: 'not_found', revision: against ?? 0 };
  if (!target) return { outcome: 'not_found', revision };
  return { outcome: 'diff', diff: { revision, against: base.revision, changes: diffModelDocuments(documentAsRead(base.document), documentAsRead(target.document)) } };
}
