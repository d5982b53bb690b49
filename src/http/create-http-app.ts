import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from 'pino';
import { logFailure } from './failure-reference';

/**
 * The Express app without listen(): tests drive it in-process. Body parsers are per route, because signed routes
 * must see the raw bytes HubSpot signed.
 */
export function createHttpApp(deps: { logger: Logger; routers: Router[]; trustProxy?: boolean }): Express {
  const app = express();
  // X-Forwarded-* count only when the operator says a proxy sets them (TRUST_PROXY); otherwise any client could
  // choose the URL a signature is checked against.
  app.set('trust proxy', deps.trustProxy === true);
  app.disable('x-powered-by');
  for (const router of deps.routers) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such endpoint' });
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const thrown: { status?: unknown; message?: unknown } = typeof error === 'object' && error !== null ? error : {};
    const status = typeof thrown.status === 'number' && thrown.status >= 400 && thrown.status < 500 ? thrown.status : 500;
    if (status >= 500) {
      const correlationId = logFailure(deps.logger, 'error', error, {}, 'request failed');
      res.status(500).json({ error: 'internal_error', message: 'internal error', correlationId });
      return;
    }
    // 4xx raised by the body parsers (too large, bad encoding): their messages describe the request, not our insides.
    res.status(status).json({ error: 'bad_request', message: String(thrown.message ?? error) });
  };
  app.use(onError);
  return app;
}
