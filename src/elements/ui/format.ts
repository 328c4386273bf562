// Dates and times in the user's locale (Intl), with formatters cached per locale.
const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function fmt<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

export const timeOf = (t: number, lang?: string) =>
  fmt(`t:${lang}`, () => new Intl.DateTimeFormat(lang || undefined, { hour: '2-digit', minute: '2-digit' })).format(t);

export const dayOf = (t: number, lang?: string) =>
  fmt(`d:${lang}`, () => new Intl.DateTimeFormat(lang || undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })).format(t);

/** "Today", "Yesterday", or the date, for separators and list times. */
export function dayLabel(t: number, lang?: string, now = Date.now()): string {
  const d = new Date(t).setHours(0, 0, 0, 0);
  const today = new Date(now).setHours(0, 0, 0, 0);
  const rtf = fmt(`r:${lang}`, () => new Intl.RelativeTimeFormat(lang || undefined, { numeric: 'auto' })) as Intl.RelativeTimeFormat;
  const days = Math.round((d - today) / 86_400_000);
  if (days === 0 || days === -1) return capitalize(rtf.format(days, 'day'));
  return dayOf(t, lang);
}

export function ago(t: number, lang?: string, now = Date.now()): string {
  const rtf = fmt(`r:${lang}`, () => new Intl.RelativeTimeFormat(lang || undefined, { numeric: 'auto' })) as Intl.RelativeTimeFormat;
  const s = Math.round((t - now) / 1000);
  if (s > -60) return rtf.format(0, 'second');
  if (s > -3600) return rtf.format(Math.round(s / 60), 'minute');
  if (s > -86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

export function sameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A file size in the user's locale ("840 kB", "2.4 MB"), in steps of 1024 as file managers count. */
export function fileSize(bytes: number, lang?: string): string {
  let n = bytes;
  let i = 0;
  for (; n >= 1024 && i < UNITS.length - 1; i++) n /= 1024;
  return new Intl.NumberFormat(lang || undefined, { style: 'unit', unit: UNITS[i], unitDisplay: 'short', maximumFractionDigits: i && n < 10 ? 1 : 0 }).format(n);
}
