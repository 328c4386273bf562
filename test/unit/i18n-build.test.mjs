// The build's keyless catalogs (server/i18n-build.mjs): keys numbered in sorted order, catalogs turned
// into arrays of translations, calls given their key's number; and the runtime (src/elements/i18n.ts)
// finding the translations through those numbers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { build, transform } from 'esbuild';
import { catalogToArray, keyIndex, numberCalls } from '../../server/i18n-build.mjs';
import { catalogLanguages, loadCatalog, sourceKeys } from '../../server/i18n-keys.mjs';

/** The default export of a TS module's text. @param {string} code */
async function evaluate(code) {
  const js = (await transform(code, { loader: 'ts', format: 'esm' })).code;
  return (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)).default;
}

const index = keyIndex(['Open chat', 'Report {name}', 'Send', '{n} unread']);

describe('keyless catalogs (build)', () => {
  it('numbers the keys in their order', () => {
    assert.deepEqual([...index], [['Open chat', 0], ['Report {name}', 1], ['Send', 2], ['{n} unread', 3]]);
  });

  it('turns a catalog into its translations in key order: plural forms kept, missing keys empty, unused keys left out', async () => {
    const src = `import type { Catalog } from '../elements/i18n.js';
const strings: Catalog = {
  "{n} unread": { one: "{n} non lu", other: "{n} non lus" },
  "Send": "Envoyer",
  'Open chat': "Ouvrir le chat",
  "Gone": "Parti",
};
export default strings;`;
    const { code, missing, extra } = catalogToArray(src, index, 'fr.ts');
    assert.deepEqual(missing, ['Report {name}']);
    assert.deepEqual(extra, ['Gone']);
    const out = code.toString();
    assert.ok(!out.includes('Open chat') && !out.includes('Gone'), out);
    const arr = await evaluate(out);
    assert.ok(Array.isArray(arr));
    assert.equal(arr.length, 4);
    assert.deepEqual([...arr], ['Ouvrir le chat', undefined, 'Envoyer', { one: '{n} non lu', other: '{n} non lus' }]);
  });

  it('refuses a catalog it cannot read as plain entries', () => {
    assert.throws(() => catalogToArray('const more = {};\nexport default { ...more, "Send": "Senden" };', index, 'x.ts'), /not a plain/);
    assert.throws(() => catalogToArray('export default { "Send": "Sen" + "den" };', index, 'x.ts'), /"Send"/);
    assert.throws(() => catalogToArray('export default load();', index, 'x.ts'), /not an object literal/);
  });

  it('gives t() and tpl() calls with a known literal key its number, and leaves other calls alone', () => {
    const src = `import { t as tr } from '../i18n.js';
import { tpl } from './template.js';
const t = (a: string, b: string) => a + b;
export const a = tr(this.lang, 'Send');
export const b = tr(l, 'Report {name}', { name: \`\${x}\` });
export const c = tr(l, key, { n });
export const d = tr(l, 'Not a key');
export const e = t('x', 'Send');
export const f = tpl('{n} unread', { n: '2' });
export const g = tpl('Open chat');
export const h = tr(l, "Send", ...rest);`;
    const out = numberCalls(src, index, 'm.ts')?.toString() ?? '';
    const lines = out.split('\n');
    assert.ok(lines.includes("export const a = tr(this.lang, 'Send', 2);"), out);
    assert.ok(lines.includes("export const b = tr(l, 'Report {name}', { name: `${x}` }, 1);"), out);
    assert.ok(lines.includes('export const c = tr(l, key, { n });'), 'a computed key: unchanged');
    assert.ok(lines.includes("export const d = tr(l, 'Not a key');"), 'an unknown key: unchanged');
    assert.ok(lines.includes("export const e = t('x', 'Send');"), 'a t that is not the i18n one');
    assert.ok(lines.includes("export const f = tpl('{n} unread', { n: '2' }, 3);"), out);
    assert.ok(lines.includes("export const g = tpl('Open chat', 0);"), out);
    assert.ok(lines.includes('export const h = tr(l, "Send", ...rest);'), 'spread arguments: unchanged');
    assert.equal(numberCalls("import { t } from './i18n.js';\nt(l, x);", index, 'n.ts'), null, 'nothing to number');
  });

  it('the real catalogs: each key\'s translation at its number', async () => {
    const { keys } = sourceKeys();
    const real = keyIndex(keys);
    for (const lang of catalogLanguages()) {
      const cat = await loadCatalog(lang);
      const file = `src/locales/${lang}.ts`;
      const arr = await evaluate(catalogToArray(readFileSync(file, 'utf8'), real, file).code.toString());
      assert.equal(arr.length <= keys.length, true, lang);
      for (const k of keys) assert.deepEqual(arr[/** @type {number} */ (real.get(k))], cat[k], `${lang}: ${k}`);
    }
  });

  it('the runtime finds translations by number in built catalogs, English when a call has none', async () => {
    const { keys } = sourceKeys();
    const real = keyIndex(keys);
    const caller = `import { loadLocale, t } from './src/elements/i18n.js';
import { tpl } from './src/core/template.js';
export default async () => {
  await loadLocale('de');
  const joined = tpl('{who} joined', { who: 'Bob' }).template;
  return [t('de', 'Open chat'), t('de', 'Report {name}', { name: 'Bob' }), t('de', '{n} unread', { n: 1 }), t('de', joined.key, joined.vars, joined.i),
    t('de', 'Not a known string {x}', { x: 1 }), t('en', 'Open chat')];
};`;
    const out = await build({
      stdin: { contents: numberCalls(caller, real, 'caller.ts')?.toString() ?? '', resolveDir: process.cwd(), loader: 'ts' },
      bundle: true, write: false, format: 'esm', logLevel: 'silent',
      plugins: [{
        name: 'keyless',
        setup(b) {
          b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (a) => {
            const code = readFileSync(a.path, 'utf8');
            const file = a.path.slice(a.path.lastIndexOf('src/'));
            const s = file.startsWith('src/locales/') ? catalogToArray(code, real, file).code : numberCalls(code, real, file);
            return { contents: s ? s.toString() : code, loader: 'ts' };
          });
        },
      }],
    });
    const run = (await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`)).default;
    assert.deepEqual(await run(), ['Chat öffnen', 'Bob melden', '1 ungelesen', 'Bob ist beigetreten', 'Not a known string 1', 'Open chat']);
  });
});
