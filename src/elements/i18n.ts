// UI language. English lives in the code (each string is its own key); other languages are catalogs
// loaded on first use as separate chunks, so a page pays only for the language it shows.
// `{name}` in a string is replaced by vars.name; a catalog entry may give plural forms
// ({ one, other, … } chosen by Intl.PluralRules with vars.n).

type Entry = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Catalog = Readonly<Record<string, Entry>>;

const loaders: Record<string, () => Promise<{ default: Catalog }>> = {
  de: () => import('../locales/de.js'),
  es: () => import('../locales/es.js'),
  fr: () => import('../locales/fr.js'),
};
const catalogs = new Map<string, Catalog>();
const pending = new Map<string, Promise<boolean>>();

const base = (lang: string) => lang.toLowerCase().split(/[-_]/)[0] ?? '';

/** The element's language: its `lang` attribute, else the page's, else the browser's. */
export function uiLang(el: HTMLElement): string {
  return el.lang || el.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en';
}

/** The languages with a catalog (English needs none). */
export const LANGUAGES = ['en', ...Object.keys(loaders)];

/** Loads the catalog for `lang`; resolves true when strings changed (the caller re-renders). */
export function loadLocale(lang: string): Promise<boolean> {
  const b = base(lang);
  if (catalogs.has(b) || !loaders[b]) return Promise.resolve(false);
  let p = pending.get(b);
  if (!p) {
    p = loaders[b]!().then((m) => {
      catalogs.set(b, m.default);
      return true;
    }, (e: unknown) => {
      console.warn(`cc: could not load the "${b}" strings; showing English`, e);
      return false;
    });
    pending.set(b, p);
  }
  return p;
}

/** `text` in `lang` (English until its catalog is loaded), with `{vars}` filled in. */
export function t(lang: string | undefined, text: string, vars?: Record<string, string | number>): string {
  const entry = lang ? catalogs.get(base(lang))?.[text] : undefined;
  let out: string;
  if (typeof entry === 'string') out = entry;
  else if (entry && typeof vars?.n === 'number') out = entry[new Intl.PluralRules(lang).select(vars.n)] ?? entry.other ?? text;
  else out = text;
  return vars ? out.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : out;
}
