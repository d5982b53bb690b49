import type { PublishAnswer } from '../../contracts/settings-api';
import type { PortalId, Store } from '../ports/store-ports';
import type { ModelRegistry } from './model-registry';
import { revisionSummaryView } from './revision-view';

export type PublishRevisionOutcome = { outcome: 'published'; answer: PublishAnswer } | { outcome: 'not_found' } | { outcome: 'already_published' };

/**
 * Makes a revision the portal's published model: the draft (publish) or an older, archived one (rollback). The
 * revision it replaces is archived. It applies from this instant: this process's registry loads it before
 * answering, other processes at their next worker round; moves already in the ledger keep the revision that decided
 * them (re-evaluating every record under the new rules is a separate, explicit job).
 */
export async function publishModelRevision(
  deps: { store: Pick<Store, 'modelRevisions'>; models: Pick<ModelRegistry, 'load'> },
  portalId: PortalId,
  revision: number,
  by: string | null,
  now: number,
): Promise<PublishRevisionOutcome> {
  const result = await deps.store.modelRevisions.publish(portalId, revision, by, now);
  if (result.outcome !== 'published') return result;
  await deps.models.load(portalId, result.revision);
  return { outcome: 'published', answer: { published: revisionSummaryView(result.revision), previous: result.previous } };
}
