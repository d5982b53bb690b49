import type { ReactNode } from 'react';
import { CardError, CardLoading, CardNotSynced } from './CardStates.tsx';
import type { CardData } from './useCardData.ts';

type Synced<T> = Extract<T, { synced: true }>;

interface CardDataViewProps<T extends { synced: boolean }> {
  state: CardData<T>;
  onRetry: () => void;
  /** What the record is, for the not-synced message ("contact", "company", "deal"). */
  notSynced: string;
  /** Renders a synced view; loading, errors and not-synced records are handled here, the same way on every card. */
  children: (data: Synced<T>) => ReactNode;
}

/** The loading / error with retry / not synced / synced switch every card view needs. */
export function CardDataView<T extends { synced: boolean }>({ state, onRetry, notSynced, children }: CardDataViewProps<T>) {
  switch (state.status) {
    case 'loading':
      return <CardLoading />;
    case 'error':
      return <CardError message={state.message} onRetry={onRetry} />;
    case 'success':
      return isSynced(state.data) ? <>{children(state.data)}</> : <CardNotSynced what={notSynced} />;
  }
}

const isSynced = <T extends { synced: boolean }>(data: T): data is Synced<T> => data.synced;
