// Keyless catalogs in the build. A catalog written as { "English": "translation" } ships about 40% of
// its gzip size as English keys, though the English is in the code already. So the build numbers the
// keys (sorted, as server/i18n-keys.mjs reads them from the source), turns each catalog into the
// array of its translations in that order, and gives each call with a literal key its key's number:
// t(lang, 'English', vars, 17), or t(lang, 'English', 17) without vars. The English stays at the
// call: it is the English UI and the fallback. tpl('English', vars) (texts the core makes, shown
// later through t()) gets the number too, and its template carries it to that t() call.
// Sources stay as written; the dev server and the browser tests run them unchanged, and
// src/elements/i18n.ts reads both shapes.
import MagicString from 'magic-string';
import { parseSync, Visitor } from 'vite';

/** @param {string} file @param {string} code */
function parse(file, code) {
  const { program, errors } = parseSync(file, code, { lang: file.endsWith('.ts') ? 'ts' : 'js' });
  if (errors.length) throw new Error(`${file}: ${errors[0]?.message}`);
  return program;
}

/** Each key's index in the shipped catalogs. @param {readonly string[]} keys sorted */
export const keyIndex = (keys) => new Map(keys.map((k, i) => [k, i]));

/** @param {any} node */
const unwrap = (node) => (node?.type === 'TSAsExpression' || node?.type === 'TSSatisfiesExpression' || node?.type === 'ParenthesizedExpression' ? unwrap(node.expression) : node);

/** A property's name when it is written out (not computed). @param {any} p */
const propName = (p) => (p.type !== 'Property' || p.computed || p.kind !== 'init' ? undefined
  : p.key.type === 'Identifier' ? p.key.name : typeof p.key.value === 'string' ? p.key.value : undefined);

const isString = (/** @type {any} */ n) => n?.type === 'Literal' && typeof n.value === 'string';

/**
 * A catalog module (`export default` an object literal, directly or through a const) with its object
 * turned into the array of its entries in key order. Missing keys are holes (the English shows);
 * keys the source no longer uses are left out. Anything but plain strings and plural objects is an error.
 * @param {string} code @param {Map<string, number>} index @param {string} file
 */
export function catalogToArray(code, index, file = 'catalog.ts') {
  const program = parse(file, code);
  /** @type {any} */
  const exp = program.body.find((s) => s.type === 'ExportDefaultDeclaration');
  let obj = unwrap(exp?.declaration);
  if (obj?.type === 'Identifier') {
    const name = obj.name;
    obj = undefined;
    for (const s of program.body) {
      if (s.type !== 'VariableDeclaration') continue;
      for (const d of s.declarations) if (d.id.type === 'Identifier' && d.id.name === name) obj = unwrap(d.init);
    }
  }
  if (obj?.type !== 'ObjectExpression') throw new Error(`${file}: the default export is not an object literal`);
  /** @type {(string | undefined)[]} */
  const slots = new Array(index.size).fill(undefined);
  const extra = [];
  for (const p of obj.properties) {
    const key = propName(p);
    if (key === undefined) throw new Error(`${file}:${p.start}: not a plain "key": value entry`);
    const v = unwrap(p.value);
    let text;
    if (isString(v)) text = JSON.stringify(v.value);
    else if (v.type === 'ObjectExpression') {
      text = `{${v.properties.map((/** @type {any} */ f) => {
        const form = propName(f);
        if (!form || !/^[a-z]+$/.test(form) || !isString(unwrap(f.value))) throw new Error(`${file}: "${key}": plural forms must be name: "text"`);
        return `${form}:${JSON.stringify(unwrap(f.value).value)}`;
      }).join(',')}}`;
    } else throw new Error(`${file}: "${key}": a string or plural forms, not ${v.type}`);
    const i = index.get(key);
    if (i === undefined) extra.push(key);
    else slots[i] = text;
  }
  const missing = [...index.keys()].filter((k) => slots[/** @type {number} */ (index.get(k))] === undefined);
  const s = new MagicString(code);
  // An array hole reads as undefined: the English shows, as for a key missing from an object.
  s.overwrite(obj.start, obj.end, `[${slots.map((x) => x ?? '').join(',')}]`);
  return { code: s, missing, extra };
}

/** The functions whose calls get their key's index: where they come from, and which argument is the key. */
const NUMBERED = [
  { name: 't', from: /(^|\/)i18n\.js$/, key: 1 },
  { name: 'tpl', from: /(^|\/)template\.js$/, key: 0 },
];

/**
 * Calls t(lang, 'literal key'[, vars]) and tpl('literal key'[, vars]) — each imported from its
 * module — with the key's index as the last argument; without vars it takes their place:
 * t(lang, 'English', 17). Calls whose key is not a literal, not a known key, or that have other
 * arguments stay as they are (t() then looks the key up the slow way). Null when nothing changed.
 * @param {string} code @param {Map<string, number>} index @param {string} file
 */
export function numberCalls(code, index, file = 'module.ts') {
  if (!/\b(i18n|template)\.js['"]/.test(code)) return null;
  const program = parse(file, code);
  /** @type {Map<string, number>} local name → position of the key */
  const names = new Map();
  for (const st of program.body) {
    if (st.type !== 'ImportDeclaration') continue;
    for (const sp of st.specifiers) {
      const f = NUMBERED.find((x) => x.from.test(st.source.value) && sp.type === 'ImportSpecifier' && sp.imported.type === 'Identifier' && sp.imported.name === x.name);
      if (f) names.set(sp.local.name, f.key);
    }
  }
  if (!names.size) return null;
  const s = new MagicString(code);
  let n = 0;
  new Visitor({
    CallExpression(/** @type {any} */ c) {
      const at = c.callee.type === 'Identifier' ? names.get(c.callee.name) : undefined;
      if (at === undefined || c.arguments.length > at + 2) return;
      const [key, vars] = c.arguments.slice(at);
      if (!isString(key) || vars?.type === 'SpreadElement') return;
      const i = index.get(key.value);
      if (i === undefined) return;
      s.appendLeft((vars ?? key).end, `, ${i}`);
      n++;
    },
  }).visit(program);
  return n ? s : null;
}
