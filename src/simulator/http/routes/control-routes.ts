import { Router } from 'express';
import { z } from 'zod';
import type { SimulatorControl } from '../../control/control-api';
import { activityFactSchema } from '../../activities/activity-facts';
import { faultPlanSchema } from '../../faults/fault-plan';
import { webhooksConfigSchema } from '../../webhooks/webhook-config';
import { enrolmentSchema } from '../../workflows/workflow-runner';
import { optionsFetchSchema } from '../../workflows/action-input-options';
import { parseInput } from '../parse-input';
import { objectTypeParam } from './object-lookup';

/** A webhooks config as is, or wrapped like a webhooks-hsmeta.json document (`{ uid, type, config }`). */
const webhooksBody = z.union([z.looseObject({ config: webhooksConfigSchema }), webhooksConfigSchema]);

const portalIdOf = (raw: unknown) => parseInput(z.coerce.number().int().positive(), raw, 'path');

/**
 * The simulator-only control API (no HubSpot equivalent, no auth, loopback only): the HTTP face of
 * SimulatorControl for scripts and the demo. Paths are documented in docs/simulator.md.
 */
export function controlRouter(control: SimulatorControl): Router {
  const router = Router();

  router.get('/stats', (_req, res) => {
    res.json(control.stats());
  });
  router.post('/stats/reset', (_req, res) => {
    control.resetStats();
    res.status(204).end();
  });
  router.post('/webhooks/flush', async (_req, res) => {
    await control.flushWebhooks();
    res.status(204).end();
  });

  router.post('/portals', (req, res) => {
    res.status(201).json(control.addPortal(parseInput(z.record(z.string(), z.unknown()), req.body) as never));
  });
  router.post('/portals/:portalId/seed/:objectType', (req, res) => {
    const body = parseInput(z.strictObject({ records: z.array(z.record(z.string(), z.string())).max(10_000) }), req.body);
    res.status(201).json({ ids: control.seed(portalIdOf(req.params.portalId), objectTypeParam(req), body.records) });
  });
  router.post('/portals/:portalId/activities', (req, res) => {
    res.status(201).json(control.recordActivity(portalIdOf(req.params.portalId), parseInput(activityFactSchema, req.body)));
  });
  router.get('/portals/:portalId/activities/:objectType/:objectId', (req, res) => {
    res.json({ results: control.activities(portalIdOf(req.params.portalId), objectTypeParam(req), String(req.params.objectId)) });
  });
  router.put('/portals/:portalId/faults', (req, res) => {
    res.json(control.setFaults(portalIdOf(req.params.portalId), parseInput(faultPlanSchema, req.body ?? {})));
  });
  router.delete('/portals/:portalId/faults', (req, res) => {
    control.clearFaults(portalIdOf(req.params.portalId));
    res.status(204).end();
  });
  router.post('/portals/:portalId/rate-limit-storm', (req, res) => {
    const body = parseInput(z.strictObject({ durationMs: z.number().int().positive() }), req.body);
    control.rateLimitStorm(portalIdOf(req.params.portalId), body.durationMs);
    res.status(204).end();
  });
  router.post('/portals/:portalId/exhaust-daily', (req, res) => {
    control.exhaustDailyLimit(portalIdOf(req.params.portalId));
    res.status(204).end();
  });
  router.get('/portals/:portalId/rate-limits', (req, res) => {
    res.json(control.rateLimitUsage(portalIdOf(req.params.portalId)));
  });
  router.put('/portals/:portalId/webhooks', (req, res) => {
    res.json({ subscriptions: control.configureWebhooks(portalIdOf(req.params.portalId), parseInput(webhooksBody, req.body)) });
  });
  router.put('/portals/:portalId/webhooks/chaos', (req, res) => {
    const body = parseInput(z.strictObject({ duplicate: z.boolean().optional(), reorder: z.boolean().optional() }), req.body);
    control.setWebhookChaos(portalIdOf(req.params.portalId), Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
    res.status(204).end();
  });
  router.get('/portals/:portalId/webhooks/attempts', (req, res) => {
    res.json({ results: control.webhookAttempts(portalIdOf(req.params.portalId)) });
  });
  router.post('/portals/:portalId/workflows/enrol', async (req, res) => {
    res.status(201).json(await control.enrolInWorkflow(portalIdOf(req.params.portalId), parseInput(enrolmentSchema, req.body)));
  });
  router.post('/portals/:portalId/workflows/actions/:definitionId/options', async (req, res) => {
    res.json(await control.fetchActionInputOptions(portalIdOf(req.params.portalId), String(req.params.definitionId), parseInput(optionsFetchSchema, req.body)));
  });
  router.get('/portals/:portalId/workflows/executions', (req, res) => {
    res.json({ results: control.workflowExecutions(portalIdOf(req.params.portalId)) });
  });

  return router;
}
