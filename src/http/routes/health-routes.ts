import { Router } from 'express';

/** /healthz: the process is up. /readyz: it can take work (database reachable, not shutting down). */
export function healthRoutes(deps: { ready: () => Promise<void> }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.ready();
      res.json({ status: 'ready' });
    } catch (error) {
      res.status(503).json({ status: 'not_ready', message: (error as Error).message });
    }
  });
  return router;
}
