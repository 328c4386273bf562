// The UI's English strings, read from the source: the second argument of every t(lang, '…') call
// and the first of every tpl('…') (texts the core makes, shown translated). A catalog must translate
// exactly these. `node server/i18n-keys.mjs [lang…]` lists what each catalog lacks or has extra.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const LITERAL = String.raw`'((?:[^'\\\n]|\\.)*)'`;
/** t(<one simple argument>, '<key>' — the argument is a name like l, this.lang or c.lang. */
const T_CALL = new RegExp(String.raw`\bt\(\s*[\w$.]+\s*,\s*${LITERAL}`, 'g');
const TPL_CALL = new RegExp(String.raw`\btpl\(\s*${LITERAL}`, 'g');
/** Every call of t( or tpl(, to find those whose key is not a literal. */
const ANY_CALL = /(?<![\w$.])(?:t\(\s*[\w$.]+\s*,|tpl\()\s*(.{0,40})|(?<![\w$.])t\((.{0,40})/g;
/** Calls whose key is computed on purpose: a system line's stored template. */
const DYNAMIC_OK = ['m.template.key'];

const unescape = (/** @type {string} */ s) => s.replace(/\\(.)/g, '$1');

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Keys used in `src` (excluding the catalogs and i18n.ts itself), and the calls whose key could not be
 * read (each "file:line: call") — those would escape the check, so they are reported as problems.
 */
export function sourceKeys(src = 'src') {
  const keys = new Set();
  const dynamic = [];
  for (const file of walk(src)) {
    const rel = relative(src, file);
    if (rel.startsWith('locales') || rel === join('elements', 'i18n.ts') || rel === join('core', 'template.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(T_CALL)) keys.add(unescape(m[1]));
    for (const m of text.matchAll(TPL_CALL)) keys.add(unescape(m[1]));
    for (const m of text.matchAll(ANY_CALL)) {
      const rest = m[1] ?? '';
      if (m[1] !== undefined && (rest.startsWith("'") || DYNAMIC_OK.some((d) => rest.startsWith(d)))) continue;
      const line = text.slice(0, m.index).split('\n').length;
      dynamic.push(`${rel}:${line}: ${m[0]}`);
    }
  }
  return { keys: [...keys].sort(), dynamic };
}

/** The catalog of `lang` (src/locales/<lang>.ts), bundled on the fly. @returns {Promise<Record<string, unknown>>} */
export async function loadCatalog(lang, src = 'src') {
  const out = await build({ entryPoints: [join(src, 'locales', `${lang}.ts`)], bundle: true, write: false, format: 'esm', logLevel: 'silent' });
  const code = out.outputFiles[0].text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)).default;
}

/** The languages with a catalog file. */
export const catalogLanguages = (src = 'src') => readdirSync(join(src, 'locales')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();

/** `{name}` placeholders of a string. @param {string} s */
export const placeholders = (s) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { keys, dynamic } = sourceKeys();
  for (const d of dynamic) console.log(`not a literal key: ${d}`);
  const langs = process.argv.slice(2).length ? process.argv.slice(2) : catalogLanguages();
  for (const lang of langs) {
    const cat = await loadCatalog(lang);
    const missing = keys.filter((k) => !(k in cat));
    const extra = Object.keys(cat).filter((k) => !keys.includes(k));
    console.log(`${lang}: ${Object.keys(cat).length} entries; missing ${missing.length}, extra ${extra.length}`);
    for (const k of missing) console.log(`  - ${JSON.stringify(k)}`);
    for (const k of extra) console.log(`  + ${JSON.stringify(k)}`);
  }
  console.log(`${keys.length} keys in the source`);
}
