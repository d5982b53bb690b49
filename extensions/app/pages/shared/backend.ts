import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import { BACKEND_URL } from '../backend-url.ts';
import { withPageClaims, type PageClaims } from '../contract.ts';

/** Well under HubSpot's 15 s cap; the page endpoints answer in milliseconds (BENCHMARKS.md B8). */
export const REQUEST_TIMEOUT_MS = 5000;

/** A failure worth showing to the admin as is; the message never contains backend internals. */
export class BackendError extends Error {}

/** What the pages need of HubSpot's context to state who is asking (PagesContext has it). */
export interface IdentityContext {
  portal: { id: number };
  user: { id: number; email: string };
}

export const identityOf = (context: IdentityContext): PageClaims => ({ portalId: context.portal.id, userId: context.user.id, userEmail: context.user.email });

/**
 * Calls the lifecycle backend through HubSpot's signed proxy and parses the answer with the contract schema. Every
 * call states the portal and the user in its query (HubSpot does not add them; the signature covers them).
 */
export async function callBackend<T>(
  identity: PageClaims,
  path: string,
  schema: z.ZodType<T>,
  { method = 'GET', params = {} }: { method?: 'GET' | 'POST'; params?: Record<string, string | number | undefined> } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_URL}${withPageClaims(path, identity, params)}`, { method, timeout: REQUEST_TIMEOUT_MS, ...(method === 'POST' ? { body: {} } : {}) });
  } catch {
    throw new BackendError('The lifecycle service could not be reached. Try again in a moment.');
  }
  if (!response.ok) throw new BackendError(`The lifecycle service answered with an error (HTTP ${response.status}).`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new BackendError('The lifecycle service sent an answer this page does not understand.');
  return parsed.data;
}

export const messageOf = (error: unknown): string => (error instanceof BackendError ? error.message : 'Something went wrong while loading lifecycle data.');
