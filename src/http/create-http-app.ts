import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from 'pino';

/**
 * The Express app without listen(): tests drive it in-process. Body parsers are per route, because signed routes
 * must see the raw bytes HubSpot signed.
 */
export function createHttpApp(deps: { logger: Logger; routers: Router[] }): Express {
  const app = express();
  app.set('trust proxy', true);
  app.disable('x-powered-by');
  for (const router of deps.routers) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such endpoint' });
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const thrown: { status?: unknown; message?: unknown } = typeof error === 'object' && error !== null ? error : {};
    const status = typeof thrown.status === 'number' && thrown.status >= 400 && thrown.status < 500 ? thrown.status : 500;
    if (status >= 500) deps.logger.error({ err: error }, 'request failed');
    res.status(status).json({ error: status >= 500 ? 'internal_error' : 'bad_request', message: status >= 500 ? 'internal error' : String(thrown.message ?? error) });
  };
  app.use(onError);
  return app;
}
