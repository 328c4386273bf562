// Keyless catalogs in the build. A catalog written as { "English": "translation" } ships about 40% of
// its gzip size as English keys, though the English is in the code already. So the build ships each
// catalog as a hash table of its translations: t() hashes its English text (hash() below, the same in
// src/elements/i18n.ts) and finds the translation in one of two slots the hash picks (cuckoo
// hashing, the table about twice the number of keys, so missing entries are cheap holes). A string of
// check characters, one a slot, from the same hash, comes first, so English the catalog does not know
// shows as English rather than as the translation of a key it meets in its slot. (The checks go
// apart from the texts: inside them they cost twice as much gzip.) The slots depend only on the
// source's keys (server/i18n-keys.mjs), the same for every catalog; two keys with one hash fail the
// build (rename one). Sources stay as written; the dev server and the browser tests run them
// unchanged, and src/elements/i18n.ts reads both shapes.
import MagicString from 'magic-string';
import { parseSync } from 'vite';

/** @param {string} file @param {string} code */
function parse(file, code) {
  const { program, errors } = parseSync(file, code, { lang: file.endsWith('.ts') ? 'ts' : 'js' });
  if (errors.length) throw new Error(`${file}: ${errors[0]?.message}`);
  return program;
}

/** 32-bit FNV-1a of the UTF-16 code units (as src/elements/i18n.ts computes it). @param {string} s */
export function hash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Where a key may sit in a table of `m` slots, and its check character: three digits of its hash in
 * base m (m³ < 2³²), so they are about independent; the check one of 57 characters from # to [
 * (no quote or backslash). Mirrors t() in src/elements/i18n.ts.
 * @param {number} h @param {number} m
 */
export const place = (h, m) => ({ a: h % m, b: Math.floor(h / m) % m, check: String.fromCharCode(35 + (Math.floor(h / m / m) % 57)) });

/**
 * The slot of each source key: a table of at least twice as many slots as keys, where each key sits in
 * one of its two slots and the other holds no entry with its check character. Throws when two keys
 * have one hash.
 * @param {readonly string[]} keys
 * @returns {{ size: number, slots: Map<string, number> }}
 */
export function layout(keys) {
  const hashes = new Map();
  for (const k of keys) {
    const h = hash(k);
    const other = hashes.get(h);
    if (other !== undefined) throw new Error(`i18n: the strings ${JSON.stringify(other)} and ${JSON.stringify(k)} have the same hash; reword one`);
    hashes.set(h, k);
  }
  for (let m = Math.max(8, 2 * keys.length + 1); m ** 3 < 2 ** 32; m++) {
    const at = tryLayout(keys, m);
    if (at) return { size: m, slots: at };
  }
  throw new Error('i18n: no table layout for the strings');
}

/** @param {readonly string[]} keys @param {number} m */
function tryLayout(keys, m) {
  /** @type {(string | undefined)[]} */
  const table = new Array(m).fill(undefined);
  const p = new Map(keys.map((k) => [k, place(hash(k), m)]));
  for (const k of keys) {
    let cur = k;
    let from = -1;
    for (let kicks = 0; ; kicks++) {
      if (kicks > 4 * keys.length) return null;
      const { a, b } = /** @type {ReturnType<typeof place>} */ (p.get(cur));
      const s = table[a] === undefined ? a : table[b] === undefined ? b : from === a ? b : a;
      const out = table[s];
      table[s] = cur;
      if (out === undefined) break;
      [cur, from] = [out, s];
    }
  }
  const slots = new Map();
  table.forEach((k, i) => k !== undefined && slots.set(k, i));
  // t() looks in both slots (the key's own may be a hole: untranslated), so the other must not hold
  // an entry with the same check.
  for (const [k, i] of slots) {
    const { a, b, check } = /** @type {ReturnType<typeof place>} */ (p.get(k));
    const other = table[i === a ? b : a];
    if (other !== undefined && other !== k && p.get(other)?.check === check) return null;
  }
  return slots;
}

/** @param {any} node */
const unwrap = (node) => (node?.type === 'TSAsExpression' || node?.type === 'TSSatisfiesExpression' || node?.type === 'ParenthesizedExpression' ? unwrap(node.expression) : node);

/** A property's name when it is written out (not computed). @param {any} p */
const propName = (p) => (p.type !== 'Property' || p.computed || p.kind !== 'init' ? undefined
  : p.key.type === 'Identifier' ? p.key.name : typeof p.key.value === 'string' ? p.key.value : undefined);

const isString = (/** @type {any} */ n) => n?.type === 'Literal' && typeof n.value === 'string';

/**
 * A catalog module (`export default` an object literal, directly or through a const) with its object
 * turned into the hash table of its entries (see layout()): [checks, ...slots], where checks has each
 * slot's check character (a space for a hole). Missing keys are holes (the English shows); keys the
 * source no longer uses are left out. Anything but plain strings and plural objects is an error.
 * @param {string} code @param {ReturnType<typeof layout>} table @param {string} file
 */
export function catalogToTable(code, table, file = 'catalog.ts') {
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
  const slots = new Array(table.size).fill(undefined);
  const extra = [];
  for (const p of obj.properties) {
    const key = propName(p);
    if (key === undefined) throw new Error(`${file}:${p.start}: not a plain "key": value entry`);
    const v = unwrap(p.value);
    const i = table.slots.get(key);
    let text;
    if (isString(v)) text = JSON.stringify(v.value);
    else if (v.type === 'ObjectExpression') {
      text = `{${v.properties.map((/** @type {any} */ f) => {
        const form = propName(f);
        if (!form || !/^[a-z]+$/.test(form) || !isString(unwrap(f.value))) throw new Error(`${file}: "${key}": plural forms must be name: "text"`);
        return `${form}:${JSON.stringify(unwrap(f.value).value)}`;
      }).join(',')}}`;
    } else throw new Error(`${file}: "${key}": a string or plural forms, not ${v.type}`);
    if (i === undefined) extra.push(key);
    else slots[i] = text;
  }
  const missing = [...table.slots].filter(([, i]) => slots[i] === undefined).map(([k]) => k);
  const checks = new Array(table.size).fill(' ');
  for (const [k, i] of table.slots) if (slots[i] !== undefined) checks[i] = place(hash(k), table.size).check;
  const s = new MagicString(code);
  // An array hole reads as undefined: the English shows, as for a key missing from an object.
  // (A trailing hole needs its own comma: the table's length is its size.)
  s.overwrite(obj.start, obj.end, `[${JSON.stringify(checks.join(''))},${slots.map((x) => x ?? '').join(',')}${slots.at(-1) === undefined ? ',' : ''}]`);
  return { code: s, missing, extra };
}
