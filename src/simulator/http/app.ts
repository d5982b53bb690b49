import express from 'express';
import type { Express } from 'express';
import type { SimulatorControl } from '../control/control-api';
import { appInstallsRouter, oauthRouter } from '../oauth/oauth-routes';
import type { SimulatorState } from '../simulator-state';
import { apiGate } from './api-gate';
import { errorHandler, notFoundHandler } from './error-handler';
import { actionDefinitionsRouter } from './routes/action-definitions-routes';
import { associationsRouter } from './routes/associations-routes';
import { callbacksRouter } from './routes/callbacks-routes';
import { controlRouter } from './routes/control-routes';
import { flowsRouter } from './routes/flows-routes';
import { listsRouter } from './routes/lists-routes';
import { journalRouter } from './routes/journal-routes';
import { registerBasicObjectRoutes } from './routes/objects-basic-routes';
import { registerBatchObjectRoutes } from './routes/objects-batch-routes';
import { registerSearchRoutes } from './routes/objects-search-routes';
import { propertiesRouter } from './routes/properties-routes';

/** Objects routes, shared by the v3 paths the SDK calls and the date-versioned 2026-03 paths. Batch/search first: `/:objectType/:objectId` would shadow them. */
function objectsRouter(): express.Router {
  const router = express.Router();
  registerBatchObjectRoutes(router);
  registerSearchRoutes(router);
  registerBasicObjectRoutes(router);
  return router;
}

/** The HubSpot API surface (behind the API gate) plus the simulator-only /_simulator control API. */
export function buildApp(state: SimulatorState, control: SimulatorControl): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(express.json({ limit: '5mb' }));

  app.use('/_simulator', controlRouter(control));
  // OAuth endpoints authenticate with client credentials or codes, not a bearer token: outside the API gate.
  app.use(oauthRouter(state.oauth, state.accounting, () => Math.min(...state.allPortals().map((p) => p.portalId))));

  // The journal reads with an app (client-credentials) token, not an account's: its own authentication.
  app.use(journalRouter(state));

  const gate = apiGate(state);
  const objects = objectsRouter();
  const properties = propertiesRouter();
  const callbacks = callbacksRouter(state.workflows);
  app.use('/crm/v3/objects', gate, objects);
  app.use('/crm/objects/2026-03', gate, objects);
  app.use('/crm/v3/properties', gate, properties);
  app.use('/crm/properties/2026-03', gate, properties);
  app.use('/crm/v4', gate, associationsRouter());
  app.use('/automation/v4/actions/callbacks', gate, callbacks);
  app.use('/automation/actions/callbacks/2026-03', gate, callbacks);
  app.use('/appinstalls/2026-03', gate, appInstallsRouter(state.oauth));
  const lists = listsRouter();
  app.use('/crm/v3/lists', gate, lists);
  app.use('/crm/lists/2026-03', gate, lists);
  app.use('/automation/v4/flows', gate, flowsRouter());
  app.use('/automation/v4/actions', gate, actionDefinitionsRouter(state.actionDefinitions));

  app.use(notFoundHandler);
  app.use(errorHandler(state.log));
  return app;
}
