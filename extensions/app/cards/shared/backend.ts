import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import { BACKEND_URL } from '../backend-url.ts';
import { withCardClaims, type CardClaims } from '../contract.ts';

/** Well under HubSpot's 15 s cap: a slow backend must not hold the record page's tab hostage. */
export const REQUEST_TIMEOUT_MS = 5000;

/** A failure worth showing to the user as is; the message never contains backend internals. */
export class BackendError extends Error {}

/** Who is asking: the portal and the user, from the card's extension context (context.portal, context.user). */
export type CardIdentity = Omit<CardClaims, 'requestId'>;

/** What every card needs of HubSpot's context to state who is asking; CrmContext and the other contexts have it. */
export interface IdentityContext {
  portal: { id: number };
  user: { id: number; email: string };
}

export const identityOf = (context: IdentityContext): CardIdentity => ({ portalId: context.portal.id, userId: context.user.id, userEmail: context.user.email });

interface CallOptions {
  method?: 'GET' | 'POST';
  body?: Record<string, unknown>;
}

/**
 * Calls the lifecycle backend through HubSpot's signed proxy and parses the answer with the contract schema.
 * Every call states the portal and the user in its query (HubSpot does not add them; the signature covers them),
 * and every POST carries a fresh request id: HubSpot's own retry of this call reuses the URL, so the backend applies
 * the action once (contract.ts CardClaims).
 */
export async function callBackend<T>(identity: CardIdentity, path: string, schema: z.ZodType<T>, { method = 'GET', body }: CallOptions = {}): Promise<T> {
  const claims: CardClaims = method === 'GET' ? identity : { ...identity, requestId: newRequestId() };
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_URL}${withCardClaims(path, claims)}`, { method, timeout: REQUEST_TIMEOUT_MS, ...(body && { body }) });
  } catch {
    throw new BackendError('The lifecycle service could not be reached. Try again in a moment.');
  }
  if (!response.ok) throw new BackendError(`The lifecycle service answered with an error (HTTP ${response.status}).`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new BackendError('The lifecycle service sent an answer this card does not understand.');
  return parsed.data;
}

/** Unique per button press; crypto.randomUUID where the card's sandbox has it, else time + randomness. */
export function newRequestId(): string {
  const uuid = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.();
  return uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}-${Math.random().toString(36).slice(2, 12)}`;
}

export const messageOf = (error: unknown): string => (error instanceof BackendError ? error.message : 'Something went wrong while loading lifecycle data.');
