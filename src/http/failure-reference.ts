import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';

/**
 * A failure the caller should not see the inside of (internal messages, upstream URLs, SQL): it is logged in full
 * under a fresh correlation id, and only the id goes into the response, so an operator can find the log line.
 */
export function logFailure(logger: Logger, level: 'warn' | 'error', error: unknown, context: Record<string, unknown>, message: string): string {
  const correlationId = randomUUID();
  logger[level]({ ...context, err: error, correlationId }, message);
  return correlationId;
}
