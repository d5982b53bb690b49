/** What the cards need from HubSpot's extension context to format for the viewer. */
export interface LocaleContext {
  user: { locale?: string };
  portal: { timezone: string };
}

export interface Formatters {
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
  number: (value: number, maximumFractionDigits?: number) => string;
  signedNumber: (value: number) => string;
  percent: (share: number) => string;
  days: (value: number) => string;
}

const FALLBACK_LOCALE = 'en-US';

/** The viewer's locale; the portal's time zone, so every user of a portal sees the same calendar day. */
export function createFormatters({ user, portal }: LocaleContext): Formatters {
  const locale = supportedLocale(user.locale);
  const timeZone = isValidTimeZone(portal.timezone) ? portal.timezone : 'UTC';
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const days = new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  return {
    date: (iso) => date.format(new Date(iso)),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    number: (value, maximumFractionDigits = 0) => new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value),
    signedNumber: (value) => new Intl.NumberFormat(locale, { signDisplay: 'exceptZero', maximumFractionDigits: 1 }).format(value),
    percent: (share) => percent.format(share),
    days: (value) => days.format(value),
  };
}

/** HubSpot may send a locale Intl does not know (or cannot parse); formatting must still work. */
function supportedLocale(locale: string | undefined): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(locale ?? []).at(0) ?? FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
