import { validateModel, type ReportPeriod } from '../../core';
import type { PreviewAnswer } from '../../contracts/settings-api';
import type { PortalId, Store } from '../ports/store-ports';
import { runReplay } from '../replay/run-replay';
import type { ModelRegistry } from './model-registry';

export type PreviewOutcome = { outcome: 'preview'; answer: PreviewAnswer } | { outcome: 'no_draft' };

/**
 * Preview before Publish: the what-if replay of the draft on the recorded facts (runReplay, the same function as
 * `lifecycle replay`), next to the funnel the ledger records under the published revision, stage by stage (flow in,
 * stock at the end, CVR). Writes nothing. The draft is fitted to the portal like a published revision would be.
 * From the store alone: an admin waits on it inside HubSpot (hubspot.fetch times out at 15 s), so it spends no API
 * call; when the draft reads a property the store does not hold, the answer names it (`unreadable`) and compares
 * nothing, where `lifecycle replay` would read it from HubSpot.
 */
export async function previewModelDraft(
  deps: { store: Pick<Store, 'modelRevisions' | 'ledger' | 'factEvents' | 'recordProperties' | 'aggregates'>; models: Pick<ModelRegistry, 'current' | 'fit'> },
  portalId: PortalId,
  period: ReportPeriod,
): Promise<PreviewOutcome> {
  const draft = await deps.store.modelRevisions.draft(portalId);
  if (!draft) return { outcome: 'no_draft' };
  const validated = validateModel(draft.document);
  // A saved draft was validated; only a later schema change gets here, and then there is nothing to preview.
  if (!validated.ok) return { outcome: 'no_draft' };
  const current = deps.models.current(portalId);
  const whatIf = await deps.models.fit(portalId, validated.model);
  const result = await runReplay({ store: deps.store, hubspot: null }, portalId, { current, whatIf }, period);
  return {
    outcome: 'preview',
    answer: {
      draftRevision: draft.revision,
      publishedRevision: current.revision ?? null,
      period: { start: new Date(result.period.start).toISOString(), end: new Date(result.period.end).toISOString() },
      contacts: result.contacts,
      missing: result.missing,
      ledgerRows: result.ledgerRows,
      unreadable: result.unreadable,
      stages: result.stages,
    },
  };
}
