import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { getModelSettings } from '../../app/models/get-model-settings';
import { diffModelRevisions, listModelRevisions } from '../../app/models/list-model-revisions';
import type { ModelRegistry } from '../../app/models/model-registry';
import type { PreviewJobs } from '../../app/models/preview-jobs';
import { publishModelRevision } from '../../app/models/publish-model-revision';
import { reevaluationProgress, startReevaluation } from '../../app/models/reevaluation';
import { saveModelDraft } from '../../app/models/save-model-draft';
import type { Clock } from '../../app/ports/clock';
import type { HubSpotPort } from '../../app/ports/hubspot-port';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { PortalId, Store } from '../../app/ports/store-ports';
import { ReportRequestSchema, scopeOf } from '../../app/reporting';
import { CardClaimsQuerySchema } from '../../contracts/card-api';
import { PreviewRequestSchema, SaveDraftRequestSchema, SETTINGS_API_ROUTES } from '../../contracts/settings-api';
import { HttpError } from '../errors';
import { checked, jsonBody, param, query } from '../route-kit';
import { portalFromQuery, requireSignedPortal, verifiedPortal } from '../signed-portal';

export interface SettingsRouteDeps {
  store: Store;
  models: ModelRegistry;
  /** The settings Preview's background jobs (run in this process, read from the store). */
  previews: PreviewJobs;
  hubspot: (portalId: PortalId) => HubSpotPort;
  portals: PortalDirectory;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string | undefined;
  singlePortalFallback?: boolean;
}

const RevisionSchema = z.coerce.number().int().positive({ message: 'must be a model revision number' });
const PreviewJobIdSchema = z.coerce.number().int().positive({ message: 'must be a preview job number' });
/** The claims of the signed query (CardClaims) plus the history's paging and the diff's base. */
const SettingsQuerySchema = CardClaimsQuerySchema.extend({ before: RevisionSchema.optional(), against: RevisionSchema.optional() });

/**
 * The settings API (src/contracts/settings-api.ts), called by the `settings` page through hubspot.fetch. Every route
 * checks HubSpot's signature and reads or writes only the verified portal's revisions; the revision's author is the
 * HubSpot user the signed query names. Reads, saves and the preview (a store-only `lifecycle replay`) touch the
 * store alone. Errors are HttpErrors (docs/http-errors.md).
 */
export function settingsRoutes(deps: SettingsRouteDeps): Router {
  const router = Router();
  const signed = requireSignedPortal(deps, portalFromQuery);
  const store = { store: deps.store };

  router.get(SETTINGS_API_ROUTES.model, ...signed, async (_req, res) => {
    const view = await getModelSettings(store, verifiedPortal(res));
    if (!view) throw new HttpError('not_found', 'this portal has no model revision yet; it is seeded when the backend starts serving it');
    res.json(view);
  });

  router.put(SETTINGS_API_ROUTES.draft, ...signed, async (req, res) => {
    const request = jsonBody(req, SaveDraftRequestSchema);
    const outcome = await saveModelDraft(store, verifiedPortal(res), { document: request.document, note: request.note }, authorOf(req), deps.clock.now());
    if (outcome.outcome === 'invalid') throw new HttpError('invalid_model', `the model has ${outcome.issues.length} problem(s)`, { extra: { issues: outcome.issues } });
    res.json(outcome.draft);
  });

  // Preview: a background job (PreviewJobs); the POST answers at once, the page polls the job.
  router.post(SETTINGS_API_ROUTES.preview, ...signed, async (req, res) => {
    const request = jsonBody(req, PreviewRequestSchema.optional()) ?? {};
    const portalId = verifiedPortal(res);
    const period = checked('invalid_request', () => scopeOf(ReportRequestSchema.parse({ portalId: String(portalId), ...request, objectType: 'contact' }), deps.clock.now()).period);
    const outcome = await deps.previews.start(portalId, period, authorOf(req));
    if (outcome.outcome === 'no_draft') throw new HttpError('no_draft');
    res.status(outcome.outcome === 'started' ? 202 : 200).json({ job: outcome.job });
  });

  router.get(SETTINGS_API_ROUTES.preview, ...signed, async (req, res) => {
    query(req, SettingsQuerySchema);
    res.json({ job: await deps.previews.latest(verifiedPortal(res)) });
  });

  router.get(SETTINGS_API_ROUTES.previewJob, ...signed, async (req, res) => {
    const id = param(req, 'job', PreviewJobIdSchema);
    const job = await deps.previews.get(verifiedPortal(res), id);
    if (!job) throw new HttpError('not_found', `this portal has no preview job ${id}`);
    res.json({ job });
  });

  router.get(SETTINGS_API_ROUTES.revisions, ...signed, async (req, res) => {
    const { before } = query(req, SettingsQuerySchema);
    res.json(await listModelRevisions(store, verifiedPortal(res), before));
  });

  router.get(SETTINGS_API_ROUTES.diff, ...signed, async (req, res) => {
    const revision = param(req, 'revision', RevisionSchema);
    const { against } = query(req, SettingsQuerySchema);
    const outcome = await diffModelRevisions(store, verifiedPortal(res), revision, against);
    if (outcome.outcome === 'not_found') throw new HttpError('not_found', `no model revision ${outcome.revision}`);
    res.json(outcome.diff);
  });

  router.post(SETTINGS_API_ROUTES.publish, ...signed, async (req, res) => {
    const revision = param(req, 'revision', RevisionSchema);
    const outcome = await publishModelRevision({ ...store, models: deps.models }, verifiedPortal(res), revision, authorOf(req), deps.clock.now());
    if (outcome.outcome === 'not_found') throw new HttpError('not_found', `no model revision ${revision}`);
    if (outcome.outcome === 'already_published') throw new HttpError('already_published', `revision ${revision} is the published one`);
    res.json(outcome.answer);
  });

  router.get(SETTINGS_API_ROUTES.reevaluation, ...signed, async (_req, res) => {
    res.json({ reevaluation: await reevaluationProgress(store, verifiedPortal(res)) });
  });

  router.post(SETTINGS_API_ROUTES.reevaluation, ...signed, async (req, res) => {
    const portalId = verifiedPortal(res);
    const outcome = await startReevaluation(store, portalId, deps.models.current(portalId).revision ?? null, authorOf(req), deps.clock.now());
    if (outcome.outcome === 'running') throw new HttpError('reevaluation_running', undefined, { extra: { reevaluation: outcome.progress } });
    res.status(202).json({ reevaluation: outcome.progress });
  });

  return router;
}

/** The HubSpot user the signed query names (CardClaims): the revision's author; a malformed claim is a 400. */
function authorOf(req: Request): string | null {
  const { userEmail, userId } = query(req, CardClaimsQuerySchema, 'invalid_claims');
  return userEmail ?? (userId === undefined ? null : `hubspot-user:${userId}`);
}
