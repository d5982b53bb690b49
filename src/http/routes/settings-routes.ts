import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { getModelSettings } from '../../app/models/get-model-settings';
import { diffModelRevisions, listModelRevisions } from '../../app/models/list-model-revisions';
import type { ModelRegistry } from '../../app/models/model-registry';
import { previewModelDraft } from '../../app/models/preview-model-draft';
import { publishModelRevision } from '../../app/models/publish-model-revision';
import { reevaluationProgress, startReevaluation } from '../../app/models/reevaluation';
import { saveModelDraft } from '../../app/models/save-model-draft';
import type { Clock } from '../../app/ports/clock';
import { HubSpotError, type HubSpotPort } from '../../app/ports/hubspot-port';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { PortalId, Store } from '../../app/ports/store-ports';
import { ReportRequestSchema, scopeOf } from '../../app/reporting';
import { CardClaimsQuerySchema } from '../../contracts/card-api';
import { PreviewRequestSchema, SaveDraftRequestSchema, SETTINGS_API_ROUTES } from '../../contracts/settings-api';
import { logFailure } from '../failure-reference';
import { rawBodyOf } from '../signed-request';
import { portalFromQuery, requireSignedPortal, verifiedPortal } from '../signed-portal';

export interface SettingsRouteDeps {
  store: Store;
  models: ModelRegistry;
  hubspot: (portalId: PortalId) => HubSpotPort;
  portals: PortalDirectory;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string | undefined;
  singlePortalFallback?: boolean;
}

const RevisionSchema = z.coerce.number().int().positive({ message: 'must be a model revision number' });
const RevisionQuerySchema = z.object({ before: RevisionSchema.optional(), against: RevisionSchema.optional() });

/**
 * The settings API (src/contracts/settings-api.ts), called by the `settings` page through hubspot.fetch. Every route
 * checks HubSpot's signature and reads or writes only the verified portal's revisions; the revision's author is the
 * HubSpot user the signed query names. Reads and saves touch the store alone; the preview also reads HubSpot
 * (read-only), like `lifecycle replay`.
 */
export function settingsRoutes(deps: SettingsRouteDeps): Router {
  const router = Router();
  const signed = requireSignedPortal(deps, portalFromQuery);
  const store = { store: deps.store };

  router.get(SETTINGS_API_ROUTES.model, ...signed, async (_req, res) => {
    const view = await getModelSettings(store, verifiedPortal(res));
    if (!view) return void res.status(404).json({ error: 'not_found', message: 'this portal has no model revision yet; it is seeded when the backend starts serving it' });
    res.json(view);
  });

  router.put(SETTINGS_API_ROUTES.draft, ...signed, async (req, res) => {
    const request = body(req, res, SaveDraftRequestSchema);
    if (!request) return;
    const author = authorOf(req, res);
    if (author === undefined) return;
    const outcome = await saveModelDraft(store, verifiedPortal(res), { document: request.document, note: request.note }, author, deps.clock.now());
    if (outcome.outcome === 'invalid') {
      res.status(422).json({ error: 'invalid_model', message: `the model has ${outcome.issues.length} problem(s)`, issues: outcome.issues });
      return;
    }
    res.json(outcome.draft);
  });

  router.post(SETTINGS_API_ROUTES.preview, ...signed, async (req, res) => {
    const request = body(req, res, PreviewRequestSchema);
    if (!request) return;
    const portalId = verifiedPortal(res);
    const period = ReportRequestSchema.safeParse({ portalId: String(portalId), ...request, objectType: 'contact' });
    if (!period.success) return void res.status(400).json({ error: 'invalid_request', message: z.prettifyError(period.error) });
    try {
      const outcome = await previewModelDraft({ ...store, hubspot: deps.hubspot(portalId), models: deps.models }, portalId, scopeOf(period.data, deps.clock.now()).period);
      if (outcome.outcome === 'no_draft') return void res.status(404).json({ error: 'no_draft', message: 'save a draft first: the preview replays the draft' });
      res.json(outcome.answer);
    } catch (error) {
      if (!(error instanceof HubSpotError) || !error.transient) throw error;
      const correlationId = logFailure(deps.logger, 'warn', error, { portalId }, 'model preview: HubSpot unavailable');
      res.status(503).json({ error: 'hubspot_unavailable', message: 'HubSpot did not answer in time; try again', correlationId });
    }
  });

  router.get(SETTINGS_API_ROUTES.revisions, ...signed, async (req, res) => {
    const query = RevisionQuerySchema.safeParse(req.query);
    if (!query.success) return void res.status(400).json({ error: 'invalid_request', message: z.prettifyError(query.error) });
    res.json(await listModelRevisions(store, verifiedPortal(res), query.data.before));
  });

  router.get(SETTINGS_API_ROUTES.diff, ...signed, async (req, res) => {
    const revision = revisionParam(req, res);
    const query = RevisionQuerySchema.safeParse(req.query);
    if (revision === null) return;
    if (!query.success) return void res.status(400).json({ error: 'invalid_request', message: z.prettifyError(query.error) });
    const outcome = await diffModelRevisions(store, verifiedPortal(res), revision, query.data.against);
    if (outcome.outcome === 'not_found') return void res.status(404).json({ error: 'not_found', message: `no model revision ${outcome.revision}` });
    res.json(outcome.diff);
  });

  router.post(SETTINGS_API_ROUTES.publish, ...signed, async (req, res) => {
    const revision = revisionParam(req, res);
    if (revision === null) return;
    const author = authorOf(req, res);
    if (author === undefined) return;
    const outcome = await publishModelRevision({ ...store, models: deps.models }, verifiedPortal(res), revision, author, deps.clock.now());
    if (outcome.outcome === 'not_found') return void res.status(404).json({ error: 'not_found', message: `no model revision ${revision}` });
    if (outcome.outcome === 'already_published') return void res.status(409).json({ error: 'already_published', message: `revision ${revision} is the published one` });
    res.json(outcome.answer);
  });

  router.get(SETTINGS_API_ROUTES.reevaluation, ...signed, async (_req, res) => {
    res.json({ reevaluation: await reevaluationProgress(store, verifiedPortal(res)) });
  });

  router.post(SETTINGS_API_ROUTES.reevaluation, ...signed, async (req, res) => {
    const author = authorOf(req, res);
    if (author === undefined) return;
    const portalId = verifiedPortal(res);
    const outcome = await startReevaluation(store, portalId, deps.models.current(portalId).revision ?? null, author, deps.clock.now());
    res.status(outcome.outcome === 'started' ? 202 : 409).json({ reevaluation: outcome.progress });
  });

  return router;
}

function revisionParam(req: Request, res: Response): number | null {
  const parsed = RevisionSchema.safeParse(req.params['revision']);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: 'invalid_request', message: z.prettifyError(parsed.error) });
  return null;
}

/** The JSON body (hubspot.fetch serialises `body`) through `schema`; a 400 naming the problem otherwise. */
function body<S extends z.ZodType>(req: Request, res: Response, schema: S): z.output<S> | null {
  const raw = rawBodyOf(req);
  let json: unknown = {};
  if (raw !== '') {
    try {
      json = JSON.parse(raw);
    } catch {
      res.status(400).json({ error: 'invalid_request', message: 'the body is not JSON' });
      return null;
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: 'invalid_request', message: z.prettifyError(parsed.error) });
  return null;
}

/** The HubSpot user the signed query names (CardClaims), the revision's author; undefined after answering 400. */
function authorOf(req: Request, res: Response): string | null | undefined {
  const parsed = CardClaimsQuerySchema.safeParse(req.query);
  if (!parsed.success) {
    res.status(400).json({ error: 'invalid_claims', message: z.prettifyError(parsed.error) });
    return undefined;
  }
  const { userEmail, userId } = parsed.data;
  return userEmail ?? (userId === undefined ? null : `hubspot-user:${userId}`);
}
