import { randomUUID } from 'node:crypto';

/**
 * An error HubSpot would answer with. Thrown anywhere in the simulator and rendered by the HTTP error
 * middleware as HubSpot's error body: `{status:"error", message, correlationId, category, errors?, context?}`
 * (https://developers.hubspot.com/docs/faq/api-error-responses).
 */
export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
}

/**
 * Named apart from the backend's `HubSpotError` (src/app/ports/hubspot-port.ts), which is our classified view of a
 * failed call: this one is the answer the fake HubSpot sends, with its HTTP status and category.
 */
export class SimulatedApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly category: string,
    message: string,
    readonly details: { errors?: ErrorDetail[]; context?: Record<string, unknown>; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'SimulatedApiError';
  }

  toBody(): Record<string, unknown> {
    return {
      status: 'error',
      message: this.message,
      correlationId: randomUUID(),
      category: this.category,
      ...(this.details.errors ? { errors: this.details.errors } : {}),
      ...(this.details.context ? { context: this.details.context } : {}),
      ...this.details.extra,
    };
  }
}

export const validationError = (message: string, errors?: ErrorDetail[]) => new SimulatedApiError(400, 'VALIDATION_ERROR', message, errors ? { errors } : {});

export const notFound = (message: string, context?: Record<string, unknown>) => new SimulatedApiError(404, 'OBJECT_NOT_FOUND', message, context ? { context } : {});

export const conflict = (message: string) => new SimulatedApiError(409, 'CONFLICT', message);

export const unauthorized = () =>
  new SimulatedApiError(
    401,
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );
