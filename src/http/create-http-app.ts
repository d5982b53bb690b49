import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import { errorMiddleware, HttpError } from './errors';

/**
 * The Express app without listen(): tests drive it in-process. Body parsers are per route, because signed routes
 * must see the raw bytes HubSpot signed. Every error answer comes from errors.ts (one table, one middleware).
 */
export function createHttpApp(deps: { logger: Logger; routers: Router[]; trustProxy?: boolean }): Express {
  const app = express();
  // X-Forwarded-* count only when the operator says a proxy sets them (TRUST_PROXY); otherwise any client could
  // choose the URL a signature is checked against.
  app.set('trust proxy', deps.trustProxy === true);
  app.disable('x-powered-by');
  for (const router of deps.routers) app.use(router);
  app.use(() => {
    throw new HttpError('not_found');
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
