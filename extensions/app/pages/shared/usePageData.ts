import { useExtensionContext } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import { callBackend, identityOf, messageOf, type IdentityContext } from './backend.ts';

export type PageData<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };
export type PageParams = Record<string, string | number | undefined>;

/** Calls the backend as this page's user in this page's portal (from the extension context), e.g. on a button press. */
export function usePageBackend() {
  const context = useExtensionContext() as unknown as IdentityContext;
  const { portalId, userId, userEmail } = identityOf(context);
  const identity = useMemo(() => ({ portalId, userId, userEmail }), [portalId, userId, userEmail]);
  return useCallback(<T>(path: string, schema: z.ZodType<T>, options?: Parameters<typeof callBackend>[3]) => callBackend(identity, path, schema, options), [identity]);
}

/** Loads `path` with `params` whenever they change (and on `reload()`); only the latest request may update the state. */
export function usePageData<T>(path: string, schema: z.ZodType<T>, params: PageParams) {
  const [state, setState] = useState<PageData<T>>({ status: 'loading' });
  const latestRequest = useRef(0);
  const call = usePageBackend();
  const key = JSON.stringify(params);

  const load = useCallback(() => {
    const request = ++latestRequest.current;
    setState({ status: 'loading' });
    call(path, schema, { params: JSON.parse(key) as PageParams }).then(
      (data) => request === latestRequest.current && setState({ status: 'ready', data }),
      (error: unknown) => request === latestRequest.current && setState({ status: 'error', message: messageOf(error) }),
    );
  }, [call, path, schema, key]);

  useEffect(() => {
    // Starting a load shows 'loading' at once when the parameters change; that render is the point, not a cascade.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    load();
    const requests = latestRequest;
    return () => {
      requests.current++;
    };
  }, [load]);

  return { state, reload: load };
}
