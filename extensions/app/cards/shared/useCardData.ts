import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { messageOf } from './backend.ts';
import { useBackend } from './useBackend.ts';

export type CardData<T> = { status: 'loading' } | { status: 'success'; data: T } | { status: 'error'; message: string };

export interface CardDataHandle<T> {
  state: CardData<T>;
  reload: () => void;
  /** Shows data the card already has (e.g. the view returned by an action) and drops any GET still in flight. */
  replace: (data: T) => void;
}

/** Loads one card view; only the latest request may update the state, so a slow old answer never wins. */
export function useCardData<T>(path: string, schema: z.ZodType<T>): CardDataHandle<T> {
  const [state, setState] = useState<CardData<T>>({ status: 'loading' });
  const latestRequest = useRef(0);
  const callBackend = useBackend();

  const load = useCallback(() => {
    const request = ++latestRequest.current;
    setState({ status: 'loading' });
    callBackend(path, schema).then(
      (data) => request === latestRequest.current && setState({ status: 'success', data }),
      (error: unknown) => request === latestRequest.current && setState({ status: 'error', message: messageOf(error) }),
    );
  }, [path, schema, callBackend]);

  useEffect(() => {
    // Starting a load shows 'loading' at once when the record changes; that render is the point, not a cascade.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    load();
    // Unmounting or changing record invalidates whatever is still in flight.
    const requests = latestRequest;
    return () => {
      requests.current++;
    };
  }, [load]);

  const replace = useCallback((data: T) => {
    latestRequest.current++;
    setState({ status: 'success', data });
  }, []);

  return { state, reload: load, replace };
}
