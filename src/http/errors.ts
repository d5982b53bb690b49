import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { HubSpotError } from '../app/ports/hubspot-port';
import { logFailure } from './failure-reference';

/**
 * Every error answer of the backend: code → status → default message (docs/http-errors.md). Routes throw an
 * `HttpError` with a code from here (and a message naming the problem when there is more to say); the one error
 * middleware renders it as `{ error, message }` (plus `correlationId` for failures that are logged). The same
 * condition gets the same answer on every route.
 */
export const HTTP_ERRORS = {
  // 400: the request is wrong; the message names what.
  bad_request: { status: 400, message: 'the request could not be read' },
  invalid_request: { status: 400, message: 'the request is invalid' },
  invalid_payload: { status: 400, message: 'the workflow action payload is invalid' },
  invalid_object_id: { status: 400, message: 'objectId must be a numeric HubSpot record id' },
  invalid_claims: { status: 400, message: 'the card claims in the query are invalid' },
  invalid_query: { status: 400, message: 'the query is invalid' },
  missing_request_id: { status: 400, message: 'a card action carries a requestId query parameter (one per button press)' },
  owner_filter_unavailable: { status: 400, message: "filtering by owner reads the owner's records from HubSpot, and this backend has no HubSpot access" },
  // 401/403: who is asking.
  invalid_signature: { status: 401, message: 'the HubSpot signature does not verify' },
  unauthorized: { status: 401, message: 'a dashboard token is required' },
  forbidden: { status: 403, message: 'not allowed' },
  // 404/409: the thing asked for.
  not_found: { status: 404, message: 'no such endpoint' },
  unknown_action: { status: 404, message: 'no such action' },
  busy: { status: 409, message: 'the record is being updated; try again' },
  no_draft: { status: 404, message: 'save a draft first: the preview replays the draft' },
  already_published: { status: 409, message: 'this model revision is the published one' },
  reevaluation_running: { status: 409, message: 'a re-evaluation of every record is still running' },
  invalid_model: { status: 422, message: 'the lifecycle model is invalid' },
  request_id_reused: { status: 409, message: 'this requestId was already used for another action' },
  // 5xx: not the caller's fault. 503s are worth retrying (HubSpot retries 5xx deliveries and action calls).
  internal_error: { status: 500, message: 'internal error' },
  owner_lookup_failed: { status: 502, message: "HubSpot could not name the owner's records" },
  hubspot_unavailable: { status: 503, message: 'HubSpot did not answer in time; nothing was changed, try again' },
  storage_unavailable: { status: 503, message: 'the database is unavailable; nothing was stored, try again' },
  try_again: { status: 503, message: 'the record is being decided by another request; nothing was decided, HubSpot will retry' },
  not_ready: { status: 503, message: 'the database is not reachable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

export interface HttpErrorOptions {
  /** Seconds the caller should wait (Retry-After), when known. */
  retryAfterSeconds?: number | undefined;
  /** Logged in full under a correlation id that goes into the body (the cause never does). */
  cause?: unknown;
  /** Extra body fields of a documented contract (e.g. `/readyz`'s `status`). */
  extra?: Record<string, unknown>;
}

/** An error answer: thrown by a route, rendered by `errorMiddleware`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: HttpErrorCode,
    message: string = HTTP_ERRORS[code].message,
    readonly options: HttpErrorOptions = {},
  ) {
    super(message);
  }

  get status(): number {
    return HTTP_ERRORS[this.code].status;
  }
}

/** A transient HubSpot failure is 503 `hubspot_unavailable` on every route, with Retry-After when HubSpot gave one. */
export function hubspotUnavailable(error: HubSpotError): HttpError {
  const retryAfterSeconds = error.retryAfterMs === null ? undefined : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  return new HttpError('hubspot_unavailable', undefined, { retryAfterSeconds, cause: error });
}

/** What a thrown value means to the caller: an HttpError as is, a transient HubSpotError as `hubspot_unavailable`, else null. */
export function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof HubSpotError && error.transient) return hubspotUnavailable(error);
  return null;
}

/** Writes an error answer (also for the rare route that must answer in another format, like the OAuth callback page). */
export function sendHttpError(res: Response, error: HttpError, correlationId?: string): void {
  if (error.options.retryAfterSeconds !== undefined) res.set('Retry-After', String(error.options.retryAfterSeconds));
  res.status(error.status).json({ error: error.code, message: error.message, ...error.options.extra, ...(correlationId ? { correlationId } : {}) });
}

/**
 * The one error middleware. An HttpError (or a transient HubSpotError) is answered from the table; one with a cause
 * logs it under a correlation id. A 4xx from the body parsers (too large, bad encoding) is `bad_request` with its own
 * message, which describes the request. Anything else is a 500 with a correlation id and nothing of our insides.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = asHttpError(error);
    if (known) {
      const context = { method: req.method, path: req.path, portalId: res.locals['verifiedPortalId'] as unknown };
      const correlationId = known.options.cause === undefined ? undefined : logFailure(logger, 'warn', known.options.cause, context, `request answered ${known.code}`);
      sendHttpError(res, known, correlationId);
      return;
    }
    // Body parsers' errors (http-errors) mark themselves `expose`; a HubSpot refusal's status is not ours to pass on.
    const thrown: { status?: unknown; message?: unknown; expose?: unknown } = typeof error === 'object' && error !== null ? error : {};
    if (!(error instanceof HubSpotError) && thrown.expose === true && typeof thrown.status === 'number' && thrown.status >= 400 && thrown.status < 500) {
      res.status(thrown.status).json({ error: 'bad_request', message: String(thrown.message ?? error) });
      return;
    }
    const correlationId = logFailure(logger, 'error', error, { method: req.method, path: req.path }, 'request failed');
    sendHttpError(res, new HttpError('internal_error'), correlationId);
  };
}
