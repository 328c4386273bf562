// Minifies the CSS in lit's css`…` tagged templates at build time. The JS minifier leaves template
// text as written, so the styles shipped with their indentation and line breaks (about 1 KB gzip).
// Only whitespace and comments go; quoted strings and ${…} expressions stay as they are.
import MagicString from 'magic-string';

/** Whitespace-only rewrite of one static CSS piece (no ${…} inside). */
export function minifyCss(/** @type {string} */ text) {
  let out = '';
  let plain = '';
  const flush = () => {
    out += plain
      .replace(/\s+/g, ' ')
      // No space is needed next to braces and semicolons, nor after commas and colons (a space
      // before a colon can be a descendant combinator, `a :hover`, and stays).
      .replace(/ ?([{};]) ?/g, '$1')
      .replace(/([,:]) /g, '$1')
      .replace(/;}/g, '}');
    plain = '';
  };
  for (let i = 0; i < text.length;) {
    const q = text[i];
    if (q === '"' || q === "'") {
      // A quoted string keeps its spaces; an unclosed one runs to the end of the piece.
      let j = i + 1;
      while (j < text.length && text[j] !== q) j += text[j] === '\\' ? 2 : 1;
      flush();
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      plain += ' ';
      i = end < 0 ? text.length : end + 2;
    } else {
      plain += q;
      i++;
    }
  }
  flush();
  return out;
}

/**
 * Finds css`…` templates in a module's source and minifies their static text. Returns the edited
 * MagicString, or undefined when there was nothing to do.
 * @param {string} code
 */
export function minifyCssLiterals(code) {
  let s;
  for (const m of code.matchAll(/\bcss`/g)) {
    const start = /** @type {number} */ (m.index) + m[0].length;
    const pieces = templatePieces(code, start);
    if (!pieces) continue;
    s ??= new MagicString(code);
    pieces.forEach(([from, to], n) => {
      let text = minifyCss(code.slice(from, to));
      if (n === 0) text = text.trimStart();
      if (n === pieces.length - 1) text = text.trimEnd();
      if (from === to || text === code.slice(from, to)) return;
      if (text) s.overwrite(from, to, text);
      else s.remove(from, to);
    });
  }
  return s;
}

/**
 * The static pieces [from, to) of the template literal starting at `start` (just past its
 * backtick), or undefined for one too unusual to edit safely (an expression with its own template
 * or braces inside strings, or no end).
 * @param {string} code @param {number} start @returns {[number, number][] | undefined}
 */
function templatePieces(code, start) {
  const pieces = [];
  let from = start;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (c === '\\') i++;
    else if (c === '`') {
      pieces.push([from, i]);
      return pieces;
    } else if (c === '$' && code[i + 1] === '{') {
      pieces.push([from, i]);
      let depth = 0;
      let j = i + 1;
      for (; j < code.length; j++) {
        const d = code[j];
        if (d === '`' || d === '"' || d === "'") return undefined;
        if (d === '{') depth++;
        else if (d === '}' && --depth === 0) break;
      }
      if (j >= code.length) return undefined;
      i = j;
      from = j + 1;
    }
  }
  return undefined;
}
