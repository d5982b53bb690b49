import type { ModelSettingsView } from '../../contracts/settings-api';
import type { PortalId, Store } from '../ports/store-ports';
import { revisionView } from './revision-view';

/** The portal's published model and its draft, if one is being edited; null before the portal was seeded. */
export async function getModelSettings(deps: { store: Pick<Store, 'modelRevisions'> }, portalId: PortalId): Promise<ModelSettingsView | null> {
  const [published, draft] = await Promise.all([deps.store.modelRevisions.published(portalId), deps.store.modelRevisions.draft(portalId)]);
  if (!published) return null;
  return { published: revisionView(published), draft: draft ? revisionView(draft) : null };
}
