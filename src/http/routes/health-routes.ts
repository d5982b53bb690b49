import { Router } from 'express';
import { HttpError } from '../errors';

/**
 * /healthz: the process is up, plus what an operator should see at a glance (events arriving for portals this
 * backend does not serve). /readyz: it can take work (database reachable, not shutting down).
 */
export function healthRoutes(deps: { ready: () => Promise<void>; details?: () => Record<string, unknown> }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', ...deps.details?.() });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.ready();
    } catch (error) {
      // The reason (a database error may name hosts) stays out of the body; the shutdown case is safe to say.
      // `status` stays beside `error` for probes that read it (the body of a ready answer is { status: 'ready' }).
      const message = (error as Error).message === 'shutting down' ? 'shutting down' : undefined;
      throw new HttpError('not_ready', message, { extra: { status: 'not_ready' } });
    }
    res.json({ status: 'ready' });
  });
  return router;
}
