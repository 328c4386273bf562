// XEP-0393 styling and links: the parser on the XEP's own examples, and the renderer on a corpus of
// hostile strings: nothing runs, nothing but text and the few styling elements appear, links are
// only the allowed schemes, and a narrow bubble does not overflow.
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { parseSpans, parseStyling, safeHref, type Span } from '../../src/core/protocol/styling.js';
import { messageStyles } from '../../src/elements/cc-chat/message-item.js';
import { styledText } from '../../src/elements/cc-chat/styled-text.js';
import { hostile } from '../support/hostile.mjs';

/** A compact notation of spans: *strong*, _em_, ~strike~, `code`, [link]. */
function show(spans: Span[]): string {
  return spans.map((s) => {
    switch (s.t) {
      case 'text': return s.text;
      case 'link': return `[${s.text}]`;
      case 'code': return `<code:${s.text}>`;
      default: return `<${s.t}:${show(s.children)}>`;
    }
  }).join('');
}
const spans = (line: string) => show(parseSpans(line));

describe('styling: spans (XEP-0393 §5.3 examples)', () => {
  it('styles what the XEP styles', () => {
    expect(spans('plain span')).to.equal('plain span');
    expect(spans('*strong span*')).to.equal('<strong:strong span>');
    expect(spans('plain _emphasis_ plain')).to.equal('plain <em:emphasis> plain');
    expect(spans('`pre` plain *strong*')).to.equal('<code:pre> plain <strong:strong>');
    expect(spans('*strong*plain*')).to.equal('<strong:strong>plain*');
    expect(spans('* plain *strong*')).to.equal('* plain <strong:strong>');
    expect(spans('Everyone ~dis~likes cake.')).to.equal('Everyone <strike:dis>likes cake.');
    expect(spans('This is *`monospace and bold`*')).to.equal('This is <strong:<code:monospace and bold>>');
    expect(spans('This is `*monospace*`')).to.equal('This is <code:*monospace*>');
    expect(spans('_*both*_')).to.equal('<em:<strong:both>>');
  });

  it('leaves alone what the XEP leaves alone', () => {
    for (const s of ['not strong*', '*not strong', '*not *strong', '**', '***', '****', '* not strong *', '_ _']) {
      expect(spans(s), s).to.equal(s);
    }
  });

  it('does not let spans cross lines', () => {
    const b = parseStyling('*not \n strong*');
    expect(b.map((x) => (x.t === 'line' ? show(x.spans) : x.t))).to.deep.equal(['*not ', ' strong*']);
  });
});

describe('styling: blocks', () => {
  it('reads preformatted blocks up to the closing fence or the end', () => {
    expect(parseStyling('```ignored\n(println "*hi*")\n```\nafter')).to.deep.equal([
      { t: 'pre', text: '(println "*hi*")' }, { t: 'line', spans: [{ t: 'text', text: 'after' }] },
    ]);
    expect(parseStyling('```\nopen to the end\n*still pre*')).to.deep.equal([{ t: 'pre', text: 'open to the end\n*still pre*' }]);
  });

  it('nests quotes, trims one space after >, and ends them at the first other line', () => {
    const b = parseStyling('>> That that is, is.\n> Said the old *hermit*\nWho?');
    expect(b[0]!.t).to.equal('quote');
    const q = b[0] as Extract<typeof b[0], { t: 'quote' }>;
    expect(q.children[0]!.t).to.equal('quote');
    expect(q.children[1]).to.deep.equal({ t: 'line', spans: [{ t: 'text', text: 'Said the old ' }, { t: 'strong', children: [{ t: 'text', text: 'hermit' }] }] });
    expect(b[1]).to.deep.equal({ t: 'line', spans: [{ t: 'text', text: 'Who?' }] });
  });

  it('a pre block inside a quote ends with the quote', () => {
    const b = parseStyling('> ```\n> (println)\nplain');
    expect(b[0]).to.deep.equal({ t: 'quote', children: [{ t: 'pre', text: '(println)' }] });
    expect(b[1]!.t).to.equal('line');
  });

  it('stops nesting quotes after a few levels', () => {
    let depth = 0;
    let b = parseStyling(`${'>'.repeat(1000)} deep`);
    while (b[0]?.t === 'quote') {
      depth++;
      b = b[0].children;
    }
    expect(depth).to.equal(6);
    expect(b[0]!.t).to.equal('line');
  });
});

describe('styling: links', () => {
  it('links http, https, mailto and xmpp only, without trailing punctuation', () => {
    expect(spans('see https://example.com/a_b_c, then')).to.equal('see [https://example.com/a_b_c], then');
    expect(spans('(http://example.com/wiki/X_(y)).')).to.equal('([http://example.com/wiki/X_(y)]).');
    expect(spans('mail mailto:a@example.com or xmpp:room@conf.example.com?join')).to.equal('mail [mailto:a@example.com] or [xmpp:room@conf.example.com?join]');
    for (const s of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'ftp://example.com', 'https://', 'mailto:']) {
      expect(spans(s), s).to.equal(s);
    }
  });

  it('keeps styling directives inside links as text, and styles around them', () => {
    expect(spans('*https://example.com/*x*')).to.equal('<strong:[https://example.com/*x]>');
    expect(spans('_https://example.com/a_b_')).to.equal('<em:[https://example.com/a_b]>');
  });

  it('gives hrefs only from URL parsing, and stops at bidi controls', () => {
    expect(safeHref('https://example.com/"onmouseover="x')).to.equal('https://example.com/%22onmouseover=%22x');
    expect(safeHref('javascript:alert(1)')).to.equal(null);
    expect(spans('https://exa\u202Emple.com')).to.equal('[https://exa]\u202Emple.com');
  });
});

describe('styling: rendering hostile text', () => {
  const ALLOWED = new Set(['SPAN', 'STRONG', 'EM', 'S', 'CODE', 'PRE', 'BLOCKQUOTE', 'A']);
  let host: HTMLElement;
  let root: ShadowRoot;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = messageStyles.map((s) => s.styleSheet!);
  });
  afterEach(() => host.remove());

  it(`renders each of ${hostile.length} hostile strings as text: no script, no foreign elements, no overflow`, () => {
    expect(hostile.length).to.be.at.least(100);
    const dialogs: string[] = [];
    const native = { alert: window.alert, confirm: window.confirm, prompt: window.prompt };
    window.alert = window.confirm = window.prompt = ((m: string) => { dialogs.push(String(m)); }) as never;
    try {
      for (const text of hostile) {
        const bubble = document.createElement('div');
        bubble.className = 'msg';
        bubble.style.cssText = 'width: 240px; max-width: 240px';
        const body = document.createElement('span');
        body.className = 'body';
        bubble.append(body);
        root.replaceChildren(bubble);
        render(styledText(text), body);
        for (const el of body.querySelectorAll('*')) {
          expect(ALLOWED.has(el.tagName), `${el.tagName} from ${JSON.stringify(text.slice(0, 60))}`).to.equal(true);
          for (const a of el.getAttributeNames()) expect(['class', 'aria-hidden', 'href', 'target', 'rel'], a).to.include(a);
        }
        for (const a of body.querySelectorAll('a')) {
          expect(a.protocol).to.match(/^(https?|mailto|xmpp):$/);
          expect(a.rel).to.equal('noopener noreferrer');
          expect(a.target).to.equal('_blank');
        }
        if (!/^[>`]/m.test(text)) expect(body.textContent).to.equal(text.replace(/\r\n?/g, '\n'));
        expect(body.scrollWidth, `overflow from ${JSON.stringify(text.slice(0, 60))}`).to.be.at.most(body.clientWidth + 1);
        expect(body.querySelectorAll('blockquote blockquote blockquote blockquote blockquote blockquote blockquote').length).to.equal(0);
      }
    } finally {
      Object.assign(window, native);
    }
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    expect(dialogs).to.deep.equal([]);
  });
});
