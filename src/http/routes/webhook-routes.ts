import express, { Router } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { ingestWebhookBatch } from '../../app/ingest/ingest-webhook-batch';
import { WebhookBatchSchema } from '../../app/ingest/webhook-event-schema';
import type { Clock } from '../../app/ports/clock';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { InboxPort } from '../../app/ports/store-ports';
import { rawBodyOf, verifyRequest } from '../signed-request';

export interface WebhookRouteDeps {
  inbox: InboxPort;
  portals: PortalDirectory;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string | undefined;
  onRejected?: (reason: 'signature' | 'payload') => void;
  /** Called after events are stored, so the worker starts at once. */
  onAccepted?: () => void;
}

/**
 * POST /webhooks/hubspot: verify on the raw bytes, parse, store durably, then acknowledge. A bad signature is a
 * 401 with nothing stored; a malformed body a 400 naming the problem; storage trouble a 503 so HubSpot retries.
 */
export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const router = Router();
  router.post('/webhooks/hubspot', express.raw({ type: () => true, limit: '2mb' }), async (req, res) => {
    const verdict = verifyRequest(req, { clientSecrets: deps.portals.clientSecrets(), publicBaseUrl: deps.publicBaseUrl, now: deps.clock.now() });
    if (!verdict.ok) {
      deps.onRejected?.('signature');
      deps.logger.warn({ reason: verdict.reason }, 'webhook refused: bad signature');
      res.status(401).json({ error: 'invalid_signature', message: verdict.reason });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBodyOf(req));
    } catch (error) {
      deps.onRejected?.('payload');
      res.status(400).json({ error: 'malformed_json', message: `body is not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = WebhookBatchSchema.safeParse(json);
    if (!parsed.success) {
      deps.onRejected?.('payload');
      res.status(400).json({ error: 'invalid_payload', message: z.prettifyError(parsed.error) });
      return;
    }
    try {
      const result = await ingestWebhookBatch({ inbox: deps.inbox, servesPortal: (id) => deps.portals.serves(id) }, parsed.data, deps.clock.now());
      res.status(200).json(result);
      if (result.stored > 0) deps.onAccepted?.();
    } catch (error) {
      deps.logger.error({ err: error }, 'webhook not stored: storage unavailable');
      res.status(503).json({ error: 'storage_unavailable', message: 'events not stored; HubSpot will retry' });
    }
  });
  return router;
}
