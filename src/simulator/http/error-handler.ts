import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { SimulatedApiError, validationError } from '../domain/simulated-api-error';

/** Renders every failure as HubSpot's error body; an unexpected exception is a 500, never a crash. */
export function errorHandler(log: (line: string) => void) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const answer = toSimulatedApiError(error);
    if (answer.httpStatus === 500 && !(error instanceof SimulatedApiError)) log(`unexpected error on ${req.method} ${req.path}: ${(error as Error).stack ?? String(error)}`);
    if (res.headersSent || res.writableEnded) return;
    res.status(answer.httpStatus).json(answer.toBody());
  };
}

function toSimulatedApiError(error: unknown): SimulatedApiError {
  if (error instanceof SimulatedApiError) return error;
  if (error instanceof z.ZodError) return validationError(z.prettifyError(error).replace(/\n/g, ' '));
  const type = (error as { type?: string }).type;
  if (type === 'entity.parse.failed') return validationError(`Invalid input JSON: ${(error as Error).message}`);
  if (type === 'entity.too.large') return new SimulatedApiError(413, 'VALIDATION_ERROR', 'Request body too large');
  return new SimulatedApiError(500, 'INTERNAL_ERROR', 'Internal error in the HubSpot simulator');
}

export function notFoundHandler(req: Request, res: Response): void {
  res.status(404).json(new SimulatedApiError(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`).toBody());
}
