import { useExtensionContext } from '@hubspot/ui-extensions';
import { useCallback, useMemo } from 'react';
import type { z } from 'zod';
import { callBackend, identityOf, type IdentityContext } from './backend.ts';

/**
 * The one way a card calls the backend: callBackend with the portal and user of the card's own context, so every
 * card — present and future — sends the claims the backend needs to know whose data to read and who acted.
 */
export function useBackend() {
  const context = useExtensionContext() as unknown as IdentityContext;
  const { portalId, userId, userEmail } = identityOf(context);
  const identity = useMemo(() => ({ portalId, userId, userEmail }), [portalId, userId, userEmail]);
  return useCallback(<T>(path: string, schema: z.ZodType<T>, options?: Parameters<typeof callBackend>[3]) => callBackend(identity, path, schema, options), [identity]);
}
