// UI language. English lives in the code (each string is its own key); other languages are catalogs
// loaded on first use as separate chunks, so a page pays only for the language it shows.
// `{name}` in a string is replaced by vars.name; a catalog entry may give plural forms
// ({ one, other, … } chosen by Intl.PluralRules with vars.n).
// The build ships catalogs without their keys, as hash tables of the translations (server/i18n-build.mjs).
import { fill } from '../core/template.js';

type Entry = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Catalog = Readonly<Record<string, Entry>>;
/** A built catalog: its slots' check characters, then the slots (holes where untranslated). */
type Table = readonly [string, ...(Entry | undefined)[]];

const loaders: Record<string, () => Promise<{ default: Catalog | Table }>> = {
  ar: () => import('../locales/ar.js'),
  de: () => import('../locales/de.js'),
  el: () => import('../locales/el.js'),
  es: () => import('../locales/es.js'),
  fr: () => import('../locales/fr.js'),
  ja: () => import('../locales/ja.js'),
  pt: () => import('../locales/pt.js'),
  ru: () => import('../locales/ru.js'),
  uk: () => import('../locales/uk.js'),
  zh: () => import('../locales/zh.js'),
};
const catalogs = new Map<string, Catalog | Table>();
const pending = new Map<string, Promise<boolean>>();

const base = (lang: string) => lang.toLowerCase().split(/[-_]/)[0] ?? '';

/** The nearest element from `el` up, through shadow roots to their hosts, that has attribute `a` set. */
function nearest(el: Element, a: string): Element | null {
  for (let e: Element | undefined = el; e; e = (e.getRootNode() as ShadowRoot).host) {
    const hit = e.closest(`[${a}]:not([${a}=""])`);
    if (hit) return hit;
  }
  return null;
}

/** The element's language: its `lang` attribute, else its nearest ancestor's (the page's), else the browser's. */
export function uiLang(el: Element): string {
  return nearest(el, 'lang')?.getAttribute('lang') || navigator.language || 'en';
}

/**
 * The direction the UI language asks for, or '' when a `dir` set at or inside the element that
 * gives the language decides (a page's `dir` then still applies to a widget in the page's language).
 */
export function uiDir(el: Element): 'rtl' | 'ltr' | '' {
  const d = nearest(el, 'dir');
  const l = nearest(el, 'lang');
  if (d && (!l || l.contains(d))) return '';
  return /^(ar|he|iw|fa|ur|ps|sd|ug|yi|ckb|dv)$/.test(base(uiLang(el))) ? 'rtl' : 'ltr';
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
      pending.delete(b);
      return false;
    });
    pending.set(b, p);
  }
  return p;
}

/** Whether `lang`'s strings are loaded (English never is: it is the code's own). */
export const translated = (lang: string) => catalogs.has(base(lang));

/** In a built catalog: `text`'s translation, if the table has it. */
function lookup(c: Table, text: string): Entry | undefined {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  h >>>= 0;
  const m = c.length - 1;
  // Its two slots and its check character: digits of the hash in base m, as layout() placed them.
  const check = String.fromCharCode(35 + (Math.floor(h / m / m) % 57));
  for (const i of [h % m, Math.floor(h / m) % m]) if (c[0][i] === check) return c[i + 1];
  return undefined;
}

/** `text` in `lang` (English until its catalog is loaded), with `{vars}` filled in. */
export function t(lang: string | undefined, text: string, vars?: Record<string, string | number>): string {
  const c = lang ? catalogs.get(base(lang)) : undefined;
  // Built catalogs are hash tables (arrays); catalogs as written are objects.
  const entry = Array.isArray(c) ? lookup(c as Table, text) : (c as Catalog | undefined)?.[text];
  const out = typeof entry === 'string' ? entry
    : entry && typeof vars?.n === 'number' ? entry[new Intl.PluralRules(lang).select(vars.n)] ?? entry.other ?? text
    : text;
  return fill(out, vars);
}
