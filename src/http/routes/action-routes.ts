import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AnswerOnce } from '../../app/actions/answer-once';
import { ActionBusyError, runWorkflowAction } from '../../app/actions/run-workflow-action';
import { WorkflowActionPayloadSchema } from '../../app/actions/workflow-action-payload';
import { WORKFLOW_ACTIONS } from '../../app/actions/workflow-actions';
import type { Clock } from '../../app/ports/clock';
import { HubSpotError, type HubSpotPort } from '../../app/ports/hubspot-port';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { PortalId, Store } from '../../app/ports/store-ports';
import type { CompiledModel } from '../../core';
import { rawBodyOf } from '../signed-request';
import { portalFromActionBody, requireSignedPortal, verifiedPortal } from '../signed-portal';

export interface ActionRouteDeps {
  store: Store;
  model: (portalId: PortalId) => CompiledModel;
  hubspot: (portalId: PortalId) => HubSpotPort;
  portals: PortalDirectory;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string | undefined;
}

/** The path of each action: the actionUrl in its hsmeta is `<backendUrl>` + this. */
export const actionPath = (action: (typeof WORKFLOW_ACTIONS)[number]) => `/actions/${action}`;

/**
 * POST /actions/{evaluate|recycle|dead-end|fastpass|satisfaction}: HubSpot's custom workflow actions. Signature
 * checked (401), payload parsed loosely (400 when even the envelope is unusable), answered once per callbackId
 * (a retry gets the stored answer). A decision is 200 SUCCESS or FAIL_CONTINUE; HubSpot or the database being
 * unavailable is a 503 with nothing stored, so HubSpot's retry decides afresh.
 */
export function actionRoutes(deps: ActionRouteDeps): Router {
  const router = Router();
  const signed = requireSignedPortal(deps, portalFromActionBody);
  const answers = new AnswerOnce(deps.store.workflowExecutions);

  for (const action of WORKFLOW_ACTIONS) {
    router.post(actionPath(action), ...signed, async (req, res) => {
      const portalId = verifiedPortal(res);
      const parsed = WorkflowActionPayloadSchema.safeParse(parseJson(rawBodyOf(req)));
      if (!parsed.success) {
        res.status(400).json({ error: 'invalid_payload', message: z.prettifyError(parsed.error) });
        return;
      }
      const payload = parsed.data;
      const key = { objectType: payload.object.objectType.toLowerCase(), objectId: payload.object.objectId };
      try {
        const answer = await answers.answer(portalId, { callbackId: payload.callbackId, action, key, now: () => deps.clock.now() }, () =>
          runWorkflowAction({ store: deps.store, hubspot: deps.hubspot(portalId), model: deps.model(portalId), clock: deps.clock }, portalId, action, payload),
        );
        res.json(answer);
      } catch (error) {
        const retryable = error instanceof ActionBusyError || (error instanceof HubSpotError && error.transient);
        if (!retryable) throw error;
        deps.logger.warn({ portalId, action, callbackId: payload.callbackId, err: error }, 'workflow action not decided yet; HubSpot will retry');
        res.status(503).json({ error: 'try_again', message: (error).message });
      }
    });
  }
  return router;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
