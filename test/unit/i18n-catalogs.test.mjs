// Every language catalog translates exactly the strings the source uses (read from its t()/tpl()
// calls), none is empty, and each keeps the English string's {placeholders}; a new English string
// without translations, or a key read from a variable (which this check could not see), fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogLanguages, loadCatalog, placeholders, sourceKeys } from '../../server/i18n-keys.mjs';

const { keys, dynamic } = sourceKeys();
const LANGS = catalogLanguages();
const REQUIRED = ['ar', 'de', 'el', 'es', 'fr', 'ja', 'pt', 'ru', 'uk', 'zh'];
const PLURAL_FORMS = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

describe('UI string catalogs', () => {
  it('the source names its strings literally, and there are strings to translate', () => {
    assert.deepEqual(dynamic, [], 'calls whose key is not a literal string');
    assert.ok(keys.length > 200, `only ${keys.length} keys found: the extraction is broken`);
    for (const k of ['Open chat', 'Send', 'Message', 'React', 'Missed audio call', '{who} joined', '{names} are typing…']) {
      assert.ok(keys.includes(k), `"${k}" found in the source`);
    }
  });

  it('there is a catalog for each required language', () => {
    for (const l of REQUIRED) assert.ok(LANGS.includes(l), `src/locales/${l}.ts`);
  });

  for (const lang of LANGS) {
    it(`${lang}: the same keys as the source, none empty, placeholders kept`, async () => {
      const cat = await loadCatalog(lang);
      const have = Object.keys(cat).sort();
      assert.deepEqual(keys.filter((k) => !have.includes(k)), [], 'untranslated');
      assert.deepEqual(have.filter((k) => !keys.includes(k)), [], 'not used in the source');
      for (const [key, entry] of Object.entries(cat)) {
        const forms = typeof entry === 'string' ? { other: entry } : entry;
        assert.ok(forms && typeof forms === 'object' && 'other' in forms, `${key}: a string or plural forms with "other"`);
        const want = placeholders(key);
        for (const [form, text] of Object.entries(forms)) {
          assert.ok(PLURAL_FORMS.has(form), `${key}: "${form}" is not a plural category`);
          assert.equal(typeof text, 'string', `${key}.${form}`);
          assert.ok(text.trim(), `${key}.${form} is empty`);
          const got = placeholders(text);
          // A plural form may say the number in words ("one", the dual): {n} may then be left out.
          assert.deepEqual(got.filter((p) => !want.includes(p)), [], `${key}.${form}: unknown placeholders in "${text}"`);
          assert.deepEqual(want.filter((p) => p !== 'n' && !got.includes(p)), [], `${key}.${form}: placeholders missing in "${text}"`);
        }
      }
    });
  }
});
