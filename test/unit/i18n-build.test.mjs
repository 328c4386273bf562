// The build's keyless catalogs (server/i18n-build.mjs): each catalog a hash table of its translations
// laid out from the source's keys, and the runtime (src/elements/i18n.ts) finding them by hashing the
// English text, with English for text the table does not know.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { build, transform } from 'esbuild';
import { catalogToTable, hash, layout, place } from '../../server/i18n-build.mjs';
import { catalogLanguages, loadCatalog, sourceKeys } from '../../server/i18n-keys.mjs';

/** The default export of a TS module's text. @param {string} code */
async function evaluate(code) {
  const js = (await transform(code, { loader: 'ts', format: 'esm' })).code;
  return (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)).default;
}

/** What t() finds in a built table (as src/elements/i18n.ts looks). @param {any[]} table @param {string} text */
function find(table, text) {
  const m = table.length - 1;
  const { a, b, check } = place(hash(text), m);
  for (const i of [a, b]) if (table[0][i] === check) return table[i + 1];
  return undefined;
}

const keys = ['Open chat', 'Report {name}', 'Send', '{n} unread'];
const small = layout(keys);

describe('keyless catalogs (build)', () => {
  it('hashes with 32-bit FNV-1a', () => {
    assert.equal(hash(''), 0x811c9dc5);
    assert.equal(hash('a'), 0xe40c292c);
    assert.equal(hash('foobar'), 0xbf9cf968);
  });

  it('gives each key its own slot, one of its two', () => {
    assert.equal(small.slots.size, keys.length);
    assert.equal(new Set(small.slots.values()).size, keys.length);
    for (const k of keys) {
      const { a, b } = place(hash(k), small.size);
      assert.ok([a, b].includes(/** @type {number} */ (small.slots.get(k))), k);
    }
  });

  it('fails on two keys with one hash', () => {
    // FNV-1a collides on these two (a known pair).
    assert.equal(hash('costarring'), hash('liquid'));
    assert.throws(() => layout(['Send', 'costarring', 'liquid']), /"costarring" and "liquid" have the same hash/);
  });

  it('turns a catalog into its table: plural forms kept, missing keys and unknown English shown as English, unused keys left out', async () => {
    const src = `import type { Catalog } from '../elements/i18n.js';
const strings: Catalog = {
  "{n} unread": { one: "{n} non lu", other: "{n} non lus" },
  "Send": "Envoyer",
  'Open chat': "Ouvrir le chat",
  "Gone": "Parti",
};
export default strings;`;
    const { code, missing, extra } = catalogToTable(src, small, 'fr.ts');
    assert.deepEqual(missing, ['Report {name}']);
    assert.deepEqual(extra, ['Gone']);
    const out = code.toString();
    assert.ok(!out.includes('Open chat') && !out.includes('Gone'), out);
    const table = await evaluate(out);
    assert.equal(table.length, small.size + 1);
    assert.equal(find(table, 'Send'), 'Envoyer');
    assert.equal(find(table, 'Open chat'), 'Ouvrir le chat');
    assert.deepEqual({ ...find(table, '{n} unread') }, { one: '{n} non lu', other: '{n} non lus' });
    assert.equal(find(table, 'Report {name}'), undefined, 'untranslated');
    assert.equal(find(table, 'Gone'), undefined, 'not a source key');
  });

  it('refuses a catalog it cannot read as plain entries', () => {
    assert.throws(() => catalogToTable('const more = {};\nexport default { ...more, "Send": "Senden" };', small, 'x.ts'), /not a plain/);
    assert.throws(() => catalogToTable('export default { "Send": "Sen" + "den" };', small, 'x.ts'), /"Send"/);
    assert.throws(() => catalogToTable('export default load();', small, 'x.ts'), /not an object literal/);
  });

  it('the real catalogs: each key\'s translation found by its English, other English finds nothing', async () => {
    const real = layout(sourceKeys().keys);
    const strangers = Array.from({ length: 2000 }, (_, i) => `Not a string of cc ${i}`);
    for (const lang of catalogLanguages()) {
      const cat = await loadCatalog(lang);
      const file = `src/locales/${lang}.ts`;
      const table = await evaluate(catalogToTable(readFileSync(file, 'utf8'), real, file).code.toString());
      for (const k of real.slots.keys()) assert.deepEqual(find(table, k), cat[k], `${lang}: ${k}`);
      // A check of about 6 bits in two half-full slots: a few in a thousand may still match.
      const wrong = strangers.filter((s) => find(table, s) !== undefined).length;
      assert.ok(wrong < strangers.length / 50, `${lang}: ${wrong} unknown strings found a translation`);
    }
  });

  it('the runtime finds translations by hash in built catalogs, English for text they do not have', async () => {
    const real = layout(sourceKeys().keys);
    const caller = `import { loadLocale, t } from './src/elements/i18n.js';
import { tpl } from './src/core/template.js';
export default async () => {
  await loadLocale('de');
  const joined = tpl('{who} joined', { who: 'Bob' }).template;
  return [t('de', 'Open chat'), t('de', 'Report {name}', { name: 'Bob' }), t('de', '{n} unread', { n: 1 }), t('de', joined.key, joined.vars),
    t('de', 'Not a known string {x}', { x: 1 }), t('en', 'Open chat')];
};`;
    const out = await build({
      stdin: { contents: caller, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true, write: false, format: 'esm', logLevel: 'silent',
      plugins: [{
        name: 'keyless',
        setup(b) {
          b.onLoad({ filter: /[\\/]src[\\/]locales[\\/][^\\/]+\.ts$/ }, (a) => {
            const file = a.path.slice(a.path.lastIndexOf('src/'));
            return { contents: catalogToTable(readFileSync(a.path, 'utf8'), real, file).code.toString(), loader: 'ts' };
          });
        },
      }],
    });
    const run = (await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`)).default;
    assert.deepEqual(await run(), ['Chat öffnen', 'Bob melden', '1 ungelesen', 'Bob ist beigetreten', 'Not a known string 1', 'Open chat']);
  });
});
