// Texts the core makes for people to read (call lines, room events) are English with `{vars}`;
// the template travels with the text so a UI can show it in its own language.

export interface Template {
  /** The English text with `{name}` placeholders: the key of its translations. */
  key: string;
  vars?: Record<string, string>;
}

/** `text` with each `{name}` replaced by vars.name (unknown names stay as they are). */
export function fill(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

/** A template and the English text it gives. */
export function tpl(key: string, vars?: Record<string, string>): { text: string; template: Template } {
  return { text: fill(key, vars), template: { key, vars } };
}
