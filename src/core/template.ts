// Texts the core makes for people to read (call lines, room events) are English with `{vars}`;
// the template travels with the text so a UI can show it in its own language.

export interface Template {
  /** The English text with `{name}` placeholders: the key of its translations. */
  key: string;
  vars?: Record<string, string>;
  /**
   * The key's index in built catalogs (server/i18n-build.mjs adds it to each tpl() call). Only
   * this build's numbers are valid: templates are kept in memory only (system lines are not stored).
   */
  i?: number;
}

/** `text` with each `{name}` replaced by vars.name (unknown names stay as they are). */
export function fill(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

/** A template and the English text it gives (`i`: see Template; the build passes it third, or second without vars). */
export function tpl(key: string, vars?: Record<string, string>, i?: number): { text: string; template: Template } {
  if (typeof vars === 'number') [i, vars] = [vars as number, undefined];
  return { text: fill(key, vars), template: { key, vars, i } };
}
