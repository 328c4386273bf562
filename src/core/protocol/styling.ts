// XEP-0393 message styling and safe links: a message's text as a tree of blocks and spans that the
// view renders as text nodes (never HTML). Pure; linear in the length of the text, so hostile input
// cannot stall the page.

export type SpanType = 'strong' | 'em' | 'strike';

export type Span =
  | { t: 'text'; text: string }
  /** `href` is a parsed URL with an allowed scheme; `text` is what the message said. */
  | { t: 'link'; text: string; href: string }
  /** Inline preformatted text: shown as written, nothing inside is styled or linked. */
  | { t: 'code'; text: string }
  | { t: SpanType; children: Span[] };

export type Block =
  | { t: 'line'; spans: Span[] }
  | { t: 'pre'; text: string }
  | { t: 'quote'; children: Block[] };

const DIRECTIVES: Record<string, SpanType | 'code'> = { '*': 'strong', _: 'em', '~': 'strike', '`': 'code' };
export const DIRECTIVE_OF: Record<SpanType | 'code', string> = { strong: '*', em: '_', strike: '~', code: '`' };
/** Deeper quotes are shown as plain text: a thousand nested boxes would break the layout. */
const MAX_QUOTE_DEPTH = 6;
const SCHEMES = new Set(['http:', 'https:', 'mailto:', 'xmpp:']);

/** Parses a message body into blocks (XEP-0393 §5). */
export function parseStyling(text: string): Block[] {
  return blocks(text.replace(/\r\n?/g, '\n').split('\n'), 0);
}

function blocks(lines: string[], depth: number): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      // Up to a line of exactly three backticks, or the end of the parent block.
      let j = i + 1;
      while (j < lines.length && lines[j] !== '```') j++;
      out.push({ t: 'pre', text: lines.slice(i + 1, j).join('\n') });
      i = j + 1;
    } else if (line.startsWith('>') && depth < MAX_QUOTE_DEPTH) {
      const inner: string[] = [];
      // The first whitespace after '>' belongs to the marker (§5.2.2).
      for (; i < lines.length && lines[i]!.startsWith('>'); i++) inner.push(lines[i]!.slice(1).replace(/^\s/, ''));
      out.push({ t: 'quote', children: blocks(inner, depth + 1) });
    } else {
      out.push({ t: 'line', spans: parseSpans(line) });
      i++;
    }
  }
  return out;
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** Scheme-prefixed links (no bare domains); they stop at whitespace, quotes, angle brackets and bidi controls. */
const LINK = /(?<![\p{L}\p{N}])(?:https?:\/\/|mailto:|xmpp:)[^\s<>"`\u200e\u200f\u202a-\u202e\u2066-\u2069]+/giu;

/** The link a text run names, if it parses as a URL with an allowed scheme. */
export function safeHref(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!SCHEMES.has(url.protocol)) return null;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return null;
  if ((url.protocol === 'mailto:' || url.protocol === 'xmpp:') && url.pathname.length < 3) return null;
  return url.href;
}

/** Link ranges in a line, with trailing punctuation (and unbalanced closing brackets) left out. */
function findLinks(line: string): { start: number; end: number; href: string }[] {
  const out: { start: number; end: number; href: string }[] = [];
  for (const m of line.matchAll(LINK)) {
    let text = m[0];
    for (;;) {
      const last = text.at(-1)!;
      if (/[.,;:!?'*_~]/.test(last)) text = text.slice(0, -1);
      else if (last === ')' && count(text, '(') < count(text, ')')) text = text.slice(0, -1);
      else break;
    }
    const href = safeHref(text);
    if (href) out.push({ start: m.index, end: m.index + text.length, href });
  }
  return out;
}

const count = (s: string, c: string) => s.split(c).length - 1;

/**
 * Spans of one line (§5.3): an opening directive at the start, after whitespace or right after
 * another opening directive, not followed by whitespace; the first closing directive not preceded
 * by whitespace ends it (lazy matching); empty spans do not count. Directives inside links are
 * plain characters. For each directive, the next valid closing position is precomputed, so every
 * opening is resolved in constant time.
 */
export function parseSpans(line: string): Span[] {
  const n = line.length;
  const links = findLinks(line);
  const linkEnd = new Map(links.map((l) => [l.start, l]));
  const inLink = new Uint8Array(n);
  for (const l of links) inLink.fill(1, l.start, l.end);
  const next: Record<string, Int32Array> = {};
  for (const c of Object.keys(DIRECTIVES)) {
    if (!line.includes(c)) continue;
    const a = new Int32Array(n + 2).fill(n);
    for (let k = n - 1; k >= 1; k--) a[k] = line[k] === c && !isSpace(line[k - 1]) && !inLink[k] ? k : a[k + 1]!;
    next[c] = a;
  }

  const within = (from: number, to: number): Span[] => {
    const out: Span[] = [];
    let textStart = from;
    const flush = (end: number) => {
      if (end > textStart) out.push({ t: 'text', text: line.slice(textStart, end) });
    };
    for (let i = from; i < to;) {
      const link = linkEnd.get(i);
      if (link && link.end <= to) {
        flush(i);
        out.push({ t: 'link', text: line.slice(link.start, link.end), href: link.href });
        i = textStart = link.end;
        continue;
      }
      const c = line[i]!;
      const type = DIRECTIVES[c];
      if (type && !inLink[i] && (i === from || isSpace(line[i - 1])) && i + 1 < to && !isSpace(line[i + 1]) && line[i + 1] !== c) {
        const close = next[c]![i + 2]!;
        if (close < to) {
          flush(i);
          out.push(type === 'code' ? { t: 'code', text: line.slice(i + 1, close) } : { t: type, children: within(i + 1, close) });
          i = textStart = close + 1;
          continue;
        }
      }
      i++;
    }
    flush(to);
    return out;
  };
  return within(0, n);
}
