import { ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';

export function Loading({ label }: { label: string }) {
  return <LoadingSpinner label={label} layout="centered" />;
}

export function Failed({ message }: { message: string }) {
  return (
    <ErrorState title="Lifecycle data is unavailable">
      <Text>{message}</Text>
    </ErrorState>
  );
}

export const percent = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
export const count = (value: number | null): string => (value === null ? '—' : String(value));
export const days = (value: number | null): string => (value === null ? '—' : `${Math.round(value * 10) / 10} d`);
export const when = (iso: string | null): string => (iso === null ? 'never' : new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC');
