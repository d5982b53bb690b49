import { validateModel, type ModelIssue } from '../../core';
import type { ModelRevisionView } from '../../contracts/settings-api';
import type { PortalId, Store } from '../ports/store-ports';
import { revisionView } from './revision-view';

export type SaveDraftOutcome = { outcome: 'saved'; draft: ModelRevisionView } | { outcome: 'invalid'; issues: ModelIssue[] };

/**
 * Saves an admin's edit as the portal's draft revision, after validating it with the model schema and cross-checks
 * a model file goes through (validateModel), so a draft that saves is one that can be published. Nothing runs it
 * until it is published; saving again replaces the draft (one per portal).
 */
export async function saveModelDraft(
  deps: { store: Pick<Store, 'modelRevisions'> },
  portalId: PortalId,
  draft: { document: unknown; note: string },
  author: string | null,
  now: number,
): Promise<SaveDraftOutcome> {
  const validated = validateModel(draft.document);
  if (!validated.ok) return { outcome: 'invalid', issues: validated.issues };
  // Stored as sent (before defaults are filled in), so the admin's JSON view and the diff show what they wrote.
  const saved = await deps.store.modelRevisions.saveDraft(portalId, { document: draft.document, note: draft.note, author }, now);
  return { outcome: 'saved', draft: revisionView(saved) };
}
