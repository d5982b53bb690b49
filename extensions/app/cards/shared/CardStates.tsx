import { Button, EmptyState, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';

export function CardLoading() {
  return <LoadingSpinner label="Loading lifecycle data…" layout="centered" />;
}

export function CardError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <ErrorState title="Lifecycle data is unavailable">
      <Text>{message}</Text>
      <Button testId="retry" onClick={onRetry}>
        Try again
      </Button>
    </ErrorState>
  );
}

/** The engine has not evaluated this record yet (fresh install or backfill still running). */
export function CardNotSynced({ what }: { what: string }) {
  return (
    <EmptyState title="Not evaluated yet" layout="vertical" imageName="building">
      <Text>{`The lifecycle engine has not evaluated this ${what} yet. It will appear here after the next sync.`}</Text>
    </EmptyState>
  );
}
