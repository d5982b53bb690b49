import express, { Router } from 'express';
import type { Logger } from 'pino';
import { ingestWebhookBatch, type IngestResult } from '../../app/ingest/ingest-webhook-batch';
import { parseDelivery, UNATTRIBUTED_PORTAL } from '../../app/ingest/parse-delivery';
import type { Clock } from '../../app/ports/clock';
import type { PortalDirectory } from '../../app/ports/portal-directory';
import type { DeadLetterPort, InboxPort } from '../../app/ports/store-ports';
import { WEBHOOK_PATH } from '../../contracts/backend-routes';
import { HttpError, sendHttpError } from '../errors';
import { rawBodyOf, verifyRequest } from '../signed-request';

export interface WebhookRouteDeps {
  inbox: InboxPort;
  deadLetters: Pick<DeadLetterPort, 'quarantine'>;
  portals: PortalDirectory;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string | undefined;
  onRejected?: (reason: 'signature') => void;
  /** Events of a portal newly quarantined (unusable content). */
  onQuarantined?: (portalId: number, count: number) => void;
  /** Called after a delivery is stored (before the worker is woken when `stored` > 0). */
  onAccepted?: (result: IngestResult) => void;
}

/**
 * POST /webhooks/hubspot: verify on the raw bytes, parse, store durably, then acknowledge. A bad signature is a
 * 401 with nothing stored. A signed delivery is never refused for its content (HubSpot does not retry every 4xx):
 * events we cannot use are quarantined with their raw JSON and the reason, the rest stored, and the answer is 200.
 * Storage trouble is a 503 so HubSpot retries. The body-size limit (2 MB) is the only bound on a delivery.
 */
export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const router = Router();
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: '2mb' }), async (req, res) => {
    const verdict = verifyRequest(req, { clientSecrets: deps.portals.clientSecrets(), publicBaseUrl: deps.publicBaseUrl, now: deps.clock.now() });
    if (!verdict.ok) {
      deps.onRejected?.('signature');
      deps.logger.warn({ reason: verdict.reason }, 'webhook refused: bad signature');
      sendHttpError(res, new HttpError('invalid_signature', verdict.reason));
      return;
    }
    const served = deps.portals.portals();
    const delivery = parseDelivery(rawBodyOf(req), served.length === 1 ? served[0]! : UNATTRIBUTED_PORTAL);
    for (const event of delivery.unusable) deps.logger.warn({ portalId: event.portalId, reason: event.reason }, 'webhook event quarantined: unusable content');
    try {
      const result = await ingestWebhookBatch(
        { inbox: deps.inbox, deadLetters: deps.deadLetters, servesPortal: (id) => deps.portals.serves(id), onQuarantined: deps.onQuarantined },
        delivery,
        deps.clock.now(),
      );
      res.status(200).json(result);
      deps.onAccepted?.(result);
    } catch (error) {
      deps.logger.error({ err: error }, 'webhook not stored: storage unavailable');
      sendHttpError(res, new HttpError('storage_unavailable', 'events not stored; HubSpot will retry'));
    }
  });
  return router;
}
