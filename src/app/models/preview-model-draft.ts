import type { CompiledModel, ReportPeriod } from '../../core';
import type { PreviewAnswer } from '../../contracts/settings-api';
import type { PortalId, Store } from '../ports/store-ports';
import type { WhatIfReplayer } from '../replay/what-if-ledger';
import { runReplay } from '../replay/run-replay';
import type { ModelRegistry } from './model-registry';

/**
 * Preview before Publish: the what-if replay of the draft on the recorded facts (runReplay, the same function as
 * `lifecycle replay`), next to the funnel the ledger records under the published revision, stage by stage (flow in,
 * stock at the end, CVR). Writes nothing. The draft is fitted to the portal like a published revision would be.
 * From the store alone: it spends no API call on contacts; when the draft reads a property the store does not hold,
 * the answer names it (`unreadable`) and compares nothing, where `lifecycle replay` would read it from HubSpot. Its
 * cost grows with the portal, so the settings page runs it as a background job (PreviewJobs), its what-if side
 * replayed on a worker thread (`replayWhatIf`), which tells the job of the contacts replayed after each store batch.
 */
export async function previewModelDraft(
  deps: {
    store: Pick<Store, 'ledger' | 'factEvents' | 'recordProperties' | 'aggregates'>;
    models: Pick<ModelRegistry, 'current' | 'fit'>;
    /** How the what-if side is replayed: on this thread unless given. */
    replayWhatIf?: WhatIfReplayer;
  },
  portalId: PortalId,
  draft: { revision: number; model: CompiledModel },
  period: ReportPeriod,
): Promise<PreviewAnswer> {
  const current = deps.models.current(portalId);
  const whatIf = await deps.models.fit(portalId, draft.model);
  const result = await runReplay({ store: deps.store, hubspot: null, ...(deps.replayWhatIf && { replayWhatIf: deps.replayWhatIf }) }, portalId, { current, whatIf }, period);
  return {
    draftRevision: draft.revision,
    publishedRevision: current.revision ?? null,
    period: { start: new Date(result.period.start).toISOString(), end: new Date(result.period.end).toISOString() },
    contacts: result.contacts,
    missing: result.missing,
    ledgerRows: result.ledgerRows,
    unreadable: result.unreadable,
    publishedPartial: result.ledgerPartial && { recordsDone: result.ledgerPartial.recordsDone, recordsTotal: result.ledgerPartial.recordsTotal, message: result.ledgerPartial.message },
    stages: result.stages,
  };
}
