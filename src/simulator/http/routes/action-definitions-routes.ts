import { Router } from 'express';
import { z } from 'zod';
import type { ActionDefinitionRegistry } from '../../flows/action-definitions';
import { SimulatedApiError } from '../../domain/simulated-api-error';
import { parseInput } from '../parse-input';
import { portalOf } from '../portal-context';

/**
 * GET /automation/v4/actions/{appId}: the app's custom action definitions (`@hubspot/api-client`
 * automation.actions.definitionsApi.getPage). Answered only for the app the token belongs to.
 */
export function actionDefinitionsRouter(definitions: ActionDefinitionRegistry): Router {
  const router = Router();
  router.get('/:appId', (req, res) => {
    const appId = parseInput(z.coerce.number().int().positive(), req.params['appId'], 'path');
    if (portalOf(res).appId !== appId) throw new SimulatedApiError(403, 'MISSING_SCOPES', `This token does not belong to app ${appId}`);
    res.json({
      results: definitions.forApp(appId).map((d) => ({ id: d.id, revisionId: d.revisionId, published: d.config.isPublished, ...d.config })),
    });
  });
  return router;
}
