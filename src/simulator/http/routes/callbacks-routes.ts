import { Router } from 'express';
import { z } from 'zod';
import type { WorkflowRunner } from '../../workflows/workflow-runner';
import { parseInput } from '../parse-input';
import { portalOf } from '../portal-context';

const outputFields = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const completion = z.looseObject({ outputFields, failureReasonType: z.string().optional() });
const batchCompletion = z.looseObject({
  inputs: z
    .array(z.looseObject({ callbackId: z.string().min(1), outputFields }))
    .min(1)
    .max(100),
});

/** Completing BLOCKed workflow-action executions (v4 and 2026-03 paths); 204 with no body. */
export function callbacksRouter(workflows: WorkflowRunner): Router {
  const router = Router();
  router.post('/complete', (req, res) => {
    const { portalId } = portalOf(res);
    for (const input of parseInput(batchCompletion, req.body).inputs) workflows.complete(portalId, input.callbackId, input.outputFields);
    res.status(204).end();
  });
  router.post('/:callbackId/complete', (req, res) => {
    const body = parseInput(completion, req.body);
    workflows.complete(portalOf(res).portalId, String(req.params.callbackId), body.outputFields);
    res.status(204).end();
  });
  return router;
}
