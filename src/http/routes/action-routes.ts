import { Router } from 'express';
import type { Logger } from 'pino';
import { AnswerOnce } from '../../app/actions/answer-once';
import { ActionBusyError, runWorkflowAction } from '../../app/actions/run-workflow-action';
import { actionInputOptions, ActionOptionsRequestSchema } from '../../app/actions/action-input-options';
import { WorkflowActionPayloadSchema } from '../../app/actions/workflow-action-payload';
import { ACTIONS_WITH_OPTIONS, WORKFLOW_ACTIONS, workflowActionOptionsPath, workflowActionPath } from '../../contracts/backend-routes';
import type { Clock } from '../../app/ports/clock';
import type { HubSpotPort } from '../../app/ports/hubspot-port';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { PortalId, Store } from '../../app/ports/store-ports';
import type { CompiledModel } from '../../core';
import { HttpError } from '../errors';
import { jsonBody } from '../route-kit';
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

/**
 * POST /actions/{evaluate|recycle|dead-end|fastpass|satisfaction}: HubSpot's custom workflow actions. Signature
 * checked (v3, or v2 as HubSpot documents for actions; else 401), payload parsed loosely (400 when even the envelope is unusable), answered once per callbackId
 * (a retry gets the stored answer). A decision is 200 SUCCESS or FAIL_CONTINUE; HubSpot or the database being
 * unavailable is a 503 with nothing stored (errors.ts), so HubSpot's retry decides afresh.
 * POST /actions/{recycle|dead-end|fastpass}/options: the options of their select inputs (action-input-options.ts).
 */
export function actionRoutes(deps: ActionRouteDeps): Router {
  const router = Router();
  // HubSpot signs custom-action calls v2 (custom-action guide, hubspot-platform.md §4.2): v3 when present, else v2;
  // a replayed v2 request meets the stored answer of its callbackId.
  const signed = requireSignedPortal(deps, portalFromActionBody, { legacy: 'v2' });
  const answers = new AnswerOnce(deps.store.workflowExecutions);

  for (const action of WORKFLOW_ACTIONS) {
    router.post(workflowActionPath(action), ...signed, async (req, res) => {
      const portalId = verifiedPortal(res);
      const payload = jsonBody(req, WorkflowActionPayloadSchema, 'invalid_payload');
      const key = { objectType: payload.object.objectType.toLowerCase(), objectId: payload.object.objectId };
      try {
        const answer = await answers.answer(portalId, { callbackId: payload.callbackId, action, key, now: () => deps.clock.now() }, () =>
          runWorkflowAction({ store: deps.store, hubspot: deps.hubspot(portalId), model: deps.model(portalId), clock: deps.clock }, portalId, action, payload),
        );
        res.json(answer);
      } catch (error) {
        // Nothing stored, and a 503 (HubSpot retries 5xx): a transient HubSpot failure propagates as 503
        // hubspot_unavailable (errors.ts); another request deciding the record is 503 try_again.
        if (error instanceof ActionBusyError) throw new HttpError('try_again', undefined, { cause: error });
        throw error;
      }
    });
  }

  // The workflow editor's options of a select input (hsmeta `optionsUrl`): read from the portal's published model,
  // so a portal that published its own reasons or stages sees them, not the build's model. Signed like an execution.
  for (const action of ACTIONS_WITH_OPTIONS) {
    router.post(workflowActionOptionsPath(action), ...signed, (req, res) => {
      const portalId = verifiedPortal(res);
      const request = jsonBody(req, ActionOptionsRequestSchema, 'invalid_payload');
      const answer = actionInputOptions(deps.model(portalId), action, request);
      if (!answer) throw new HttpError('invalid_request', `the ${action} action has no input "${request.inputFieldName}" with options`);
      res.json(answer);
    });
  }
  return router;
}
