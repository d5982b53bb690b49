/** How the terminal shows figures; `locale` undefined means the user's own locale. */
export interface NumberFormats {
  count(value: number | null): string;
  percent(value: number | null): string;
  days(value: number | null): string;
}

/** Shown for "no data" (a rate of 0/0, a median of no stays), which is not the same as 0. */
export const NO_VALUE = '—';

export function numberFormats(locale?: string): NumberFormats {
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const days = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const orNoValue = (format: Intl.NumberFormat) => (value: number | null) => (value === null ? NO_VALUE : format.format(value));
  return { count: orNoValue(count), percent: orNoValue(percent), days: orNoValue(days) };
}
