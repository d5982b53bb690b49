import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import { BACKEND_URL } from '../backend-url.ts';

/** Well under HubSpot's 15 s cap: a slow backend must not hold the record page's tab hostage. */
export const REQUEST_TIMEOUT_MS = 5000;

/** A failure worth showing to the user as is; the message never contains backend internals. */
export class BackendError extends Error {}

interface CallOptions {
  method?: 'GET' | 'POST';
  body?: Record<string, unknown>;
}

/** Calls the lifecycle backend through HubSpot's signed proxy and parses the answer with the contract schema. */
export async function callBackend<T>(path: string, schema: z.ZodType<T>, { method = 'GET', body }: CallOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_URL}${path}`, { method, timeout: REQUEST_TIMEOUT_MS, ...(body && { body }) });
  } catch {
    throw new BackendError('The lifecycle service could not be reached. Try again in a moment.');
  }
  if (!response.ok) throw new BackendError(`The lifecycle service answered with an error (HTTP ${response.status}).`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new BackendError('The lifecycle service sent an answer this card does not understand.');
  return parsed.data;
}

export const messageOf = (error: unknown): string =>
  error instanceof BackendError ? error.message : 'Something went wrong while loading lifecycle data.';
