// Renders a message's text with XEP-0393 styling as lit templates: every character of the message
// becomes text content, never markup. Links get only parsed, allowed URLs.
import { css, html, nothing, type TemplateResult } from 'lit';
import { DIRECTIVE_OF, parseStyling, type Block, type Span } from '../../core/protocol/styling.js';

const cache = new Map<string, Block[]>();
const CACHE_SIZE = 500;

/** Parsed once per distinct text: the virtual list re-renders rows while scrolling. */
function parsed(text: string): Block[] {
  let b = cache.get(text);
  if (!b) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(text, (b = parseStyling(text)));
  }
  return b;
}

// Directives stay visible (XEP-0393 §6 recommends it, in full contrast); screen readers skip them.
const dir = (c: string) => html`<span class="dir" aria-hidden="true">${c}</span>`;

function span(s: Span): TemplateResult | string {
  switch (s.t) {
    case 'text': return s.text;
    case 'link': return html`<a href=${s.href} target="_blank" rel="noopener noreferrer">${s.text}</a>`;
    case 'code': return html`<code>${dir('`')}${s.text}${dir('`')}</code>`;
    case 'strong': return html`<strong>${dir('*')}${s.children.map(span)}${dir('*')}</strong>`;
    case 'em': return html`<em>${dir('_')}${s.children.map(span)}${dir('_')}</em>`;
    case 'strike': return html`<s>${dir(DIRECTIVE_OF.strike)}${s.children.map(span)}${dir(DIRECTIVE_OF.strike)}</s>`;
  }
}

function blocks(list: Block[]): unknown[] {
  const out: unknown[] = [];
  list.forEach((b, i) => {
    // Lines are separated by newlines; quotes and code blocks are boxes that end a line themselves.
    if (i > 0 && b.t === 'line' && list[i - 1]!.t === 'line') out.push('\n');
    if (b.t === 'line') out.push(b.spans.map(span));
    else if (b.t === 'pre') out.push(html`<pre>${b.text}</pre>`);
    else out.push(html`<blockquote>${blocks(b.children)}</blockquote>`);
  });
  return out;
}

/** The text of a message, styled. */
export function styledText(text: string): TemplateResult | typeof nothing {
  return text ? html`${blocks(parsed(text))}` : nothing;
}

/** Styles for styledText's output, inside a container with `white-space: pre-wrap`. */
export const styledTextStyles = css`
  code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
  code { background: color-mix(in srgb, currentColor 10%, transparent); border-radius: 4px; padding: 0 2px; }
  pre { margin: 2px 0; padding: 4px 6px; white-space: pre-wrap; overflow-wrap: anywhere; background: color-mix(in srgb, currentColor 8%, transparent); border-radius: 6px; }
  blockquote { margin: 2px 0; padding-inline-start: 8px; border-inline-start: 3px solid color-mix(in srgb, currentColor 40%, transparent); }
  a { color: inherit; text-decoration: underline; overflow-wrap: anywhere; }
`;
