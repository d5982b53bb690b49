import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { SimulatedApiError, notFound, unauthorized } from '../../domain/simulated-api-error';
import type { SimulatorState } from '../../simulator-state';
import { FILE_URL_LIFETIME_MS, type JournalEntry } from '../../webhooks/webhook-journal';
import { parseInput } from '../parse-input';

export const JOURNAL_READ_SCOPE = 'developer.webhooks_journal.read';
const FILES_PATH = '/_journal-files';

const localQuery = z.looseObject({ installPortalId: z.coerce.number().int().positive().optional() });
const fileQuery = z.looseObject({ expires: z.coerce.number().int() });

/**
 * The webhooks journal read API (2026-03): earliest, latest and next-from-offset of the global journal
 * (`/webhooks-journal/journal/2026-03`, every install of the app) and the local one (`journal-local`, one install by
 * `installPortalId`). Each answer is `{currentOffset, expiresAt, url}`; the entry's JSON is fetched from `url`
 * without an Authorization header. A client-credentials token with `developer.webhooks_journal.read` is required.
 * An offset that expired or never existed is a 404 (get-journal-local-next).
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide.md
 * https://developers.hubspot.com/docs/api-reference/2026-03/webhooks-journal/journal-entries/local/get-journal-local-next.md
 * UNVERIFIED: the status when nothing follows the offset yet (204 here) or the journal is empty (404 here), and
 * the file's contents (here: the events as push webhooks carry them, one array per entry).
 */
export function journalRouter(state: SimulatorState): Router {
  const router = Router();

  const appOf = (req: Request, res: Response): number => {
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
    const app = token ? state.oauth.appToken(token) : undefined;
    // An app-level call (client credentials), not an account's: counted apart from every portal's API calls.
    res.on('finish', () => state.accounting.recordCall(0, req.method, `${req.baseUrl}${String((req.route as { path?: unknown } | undefined)?.path ?? '')}`, res.statusCode));
    if (!app) throw unauthorized();
    if (!app.scopes.includes(JOURNAL_READ_SCOPE)) {
      throw new SimulatedApiError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call.", {
        errors: [{ message: `One or more of the following scopes are required.`, context: { requiredGranularScopes: [JOURNAL_READ_SCOPE] } }],
      });
    }
    return app.appId;
  };
  const portalParam = (req: Request) => (req.baseUrl.includes('journal-local') ? parseInput(localQuery, req.query, 'query').installPortalId : undefined);
  const answer = (req: Request, res: Response, entry: JournalEntry) => {
    const expiresAt = state.clock.now() + FILE_URL_LIFETIME_MS;
    res.json({
      currentOffset: entry.offset,
      expiresAt: new Date(expiresAt).toISOString(),
      url: `${req.protocol}://${req.get('host') ?? ''}${FILES_PATH}/${entry.offset}?expires=${expiresAt}`,
    });
  };

  for (const base of ['/webhooks-journal/journal/2026-03', '/webhooks-journal/journal-local/2026-03']) {
    const journal = Router();
    for (const end of ['earliest', 'latest'] as const) {
      journal.get(`/${end}`, (req, res) => {
        const appId = appOf(req, res);
        const entry = state.journal[end](appId, portalParam(req));
        if (!entry) throw notFound('The journal holds no entries');
        answer(req, res, entry);
      });
    }
    journal.get('/offset/:offset/next', (req, res) => {
      const appId = appOf(req, res);
      const entry = state.journal.next(String(req.params['offset']), appId, portalParam(req));
      if (entry === 'unknown') throw notFound(`Offset ${String(req.params['offset'])} has expired or does not exist`);
      if (entry === null) {
        res.status(204).end();
        return;
      }
      answer(req, res, entry);
    });
    router.use(base, journal);
  }

  // The pre-signed download: no Authorization header; refused once expired, like an expired signed URL.
  router.get(`${FILES_PATH}/:offset`, (req, res) => {
    const { expires } = parseInput(fileQuery, req.query, 'query');
    if (expires < state.clock.now()) throw new SimulatedApiError(403, 'FORBIDDEN', 'Request has expired');
    const entry = state.journal.entry(String(req.params['offset']));
    if (!entry) throw notFound('No such journal file');
    res.json(entry.events);
  });
  return router;
}
