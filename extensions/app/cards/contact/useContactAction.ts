import { useCallback, useState } from 'react';
import { cardApiPaths, ContactActionResultSchema, type ContactAction, type ContactActionRequest, type ContactLifecycleView } from '../contract.ts';
import { messageOf } from '../shared/backend.ts';
import { useBackend } from '../shared/useBackend.ts';

export type ActionStatus =
  { status: 'idle' } | { status: 'pending'; action: ContactAction } | { status: 'applied'; message: string } | { status: 'refused'; refusal: string } | { status: 'failed'; message: string };

/** Posts one action; on an answer (applied or refused) the card shows the view the backend sent back. */
export function useContactAction(objectId: number, showView: (view: ContactLifecycleView) => void) {
  const [status, setStatus] = useState<ActionStatus>({ status: 'idle' });
  const callBackend = useBackend();

  const run = useCallback(
    <A extends ContactAction>(action: A, body: ContactActionRequest[A]): void => {
      setStatus({ status: 'pending', action });
      // A click handler does not await: every outcome, failures included, ends as a status, so nothing can reject.
      void (async () => {
        try {
          const result = await callBackend(cardApiPaths.contactAction(objectId, action), ContactActionResultSchema, { method: 'POST', body });
          showView(result.view);
          setStatus(result.outcome === 'applied' ? { status: 'applied', message: result.message } : { status: 'refused', refusal: result.refusal });
        } catch (error) {
          setStatus({ status: 'failed', message: messageOf(error) });
        }
      })();
    },
    [objectId, showView, callBackend],
  );

  return { status, run };
}
