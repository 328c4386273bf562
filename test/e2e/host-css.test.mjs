// Host CSS isolation: a page with aggressive global rules (a "* { all: unset }" reset, Bootstrap-like
// element rules, inherited text settings on body and on the cc-chat element itself) does not change
// how the widget looks, and the widget's styles do not change the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { befriend, launchBrowser, newAccount, stack, startStaticServer, unique } from '../support/e2e.mjs';

const HOSTILE = `
  *:where(:not(html, head, head *, iframe, canvas, img, svg, video, audio):not(svg *)) { all: unset; display: revert; }
  html { font-size: 26px; color-scheme: dark; }
  body { font: italic 900 22px/3 Georgia, serif; letter-spacing: 4px; word-spacing: 12px; text-transform: uppercase; text-align: right;
    text-indent: 30px; color: rgb(200, 0, 0); white-space: pre; font-variant: small-caps; text-shadow: 2px 2px red; cursor: crosshair;
    word-break: break-all; font-kerning: none; }
  *, ::before, ::after { box-sizing: content-box !important; }
  button { padding: 20px !important; border: 6px solid green !important; background: yellow !important; border-radius: 0 !important;
    font-size: 30px !important; line-height: 2 !important; margin: 12px !important; text-transform: uppercase !important; min-height: 90px !important; }
  div, span, p, ul, li, form, textarea, input, header, section, img { margin: 9px !important; padding: 9px !important;
    border: 2px dashed purple !important; line-height: 3 !important; }
  cc-chat { font-size: 40px; line-height: 5; letter-spacing: 8px; color: blue; text-transform: lowercase; font-family: monospace; }
`;

/** /host?widget=1&…attributes: a shop-like page, its hostile stylesheet switched off until a test turns it on. */
function hostPage(/** @type {URL} */ url) {
  const widget = url.searchParams.get('widget') === '1';
  const esc = (/** @type {string} */ s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const attrs = [...url.searchParams].filter(([k]) => k !== 'widget').map(([k, v]) => `${k}="${esc(v)}"`).join(' ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host css</title>
<style id="hostile" media="not all">${HOSTILE}</style>
${widget ? '<script type="module" src="/dist/cc.js"></script>' : ''}</head>
<body><main id="probe"><h1>Shop</h1><p class="lead">Our products</p><button type="button">Buy now</button>
<input type="text" value="2"><ul><li>One</li></ul></main>
${widget ? `<cc-chat ${attrs}></cc-chat>` : ''}</body></html>`;
}

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer({
    handle: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/host') return false;
      res.writeHead(200, { 'content-type': 'text/html' }).end(hostPage(url));
      return true;
    },
  })]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const PROPS = ['font-family', 'font-size', 'font-weight', 'font-style', 'font-variant-caps', 'font-kerning', 'line-height', 'letter-spacing',
  'word-spacing', 'text-transform', 'text-align', 'text-indent', 'text-shadow', 'white-space', 'word-break', 'color', 'background-color',
  'padding', 'margin', 'border-top-width', 'border-top-style', 'border-radius', 'box-sizing', 'cursor', 'color-scheme', 'display'];

/**
 * Box sizes, distances from the viewport's right and bottom edges, and computed styles of the named
 * parts of the widget (`sel` maps a name to a path of selectors, one per shadow root).
 * @param {import('playwright-core').Page} page @param {Record<string, string[]>} sel
 */
function measure(page, sel) {
  return page.evaluate(([sel, props]) => {
    /** @type {Record<string, unknown>} */
    const out = {};
    const r2 = (/** @type {number} */ n) => Math.round(n * 2) / 2;
    for (const [name, path] of Object.entries(sel)) {
      /** @type {Element | null | undefined} */ let el = document.querySelector('cc-chat');
      for (const s of path) el = el?.shadowRoot?.querySelector(s) ?? el?.querySelector(s);
      if (!el) { out[name] = 'missing'; continue; }
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      const vw = document.documentElement.clientWidth;
      const vh = document.documentElement.clientHeight;
      out[name] = { w: r2(r.width), h: r2(r.height), right: r2(vw - r.right), bottom: r2(vh - r.bottom),
        ...Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)])) };
    }
    return out;
  }, /** @type {const} */ ([sel, PROPS]));
}

const hostile = (/** @type {import('playwright-core').Page} */ page, on = true) => page.evaluate(async (on) => {
  /** @type {HTMLStyleElement} */ (document.getElementById('hostile')).media = on ? 'all' : 'not all';
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}, on);

/** The same parts measured without, then with the hostile stylesheet, must agree. */
async function sameUnderHostileCss(/** @type {import('playwright-core').Page} */ page, /** @type {Record<string, string[]>} */ sel) {
  const plain = await measure(page, sel);
  for (const [k, v] of Object.entries(plain)) assert.notEqual(v, 'missing', `${k} is on the page`);
  await hostile(page);
  const attacked = await measure(page, sel);
  await hostile(page, false);
  assert.deepEqual(attacked, plain);
}

async function probeStyles(/** @type {import('playwright-core').Page} */ page) {
  return page.evaluate((props) => Object.fromEntries(['body', 'h1', 'p', 'button', 'input', 'li'].map((s) => {
    const el = /** @type {Element} */ (document.querySelector(s === 'body' ? 'body' : `#probe ${s}`));
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    // The body's height includes the cc-chat element's own box, which is the page's to style.
    const box = s === 'body' ? {} : { w: r.width, h: r.height, x: r.x, y: r.y };
    return [s, { ...box, ...Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)])) }];
  })), PROPS);
}

describe('host page CSS', () => {
  it('aggressive global rules on the page do not change the launcher, list, message bubbles or composer', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const ctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`${web.origin}/host?${new URLSearchParams({ widget: '1', service: stack.service, jid: alice.jid, password: alice.password })}`);
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    await sameUnderHostileCss(page, { launcher: ['.launcher'] });

    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('option', { name: bob.user }).waitFor();
    await sameUnderHostileCss(page, {
      launcher: ['.launcher'], panel: ['.panel'], item: ['cc-chat-list', 'li[role=option]'], filter: ['cc-chat-list', 'input[type=search]'],
      newChat: ['cc-chat-list', '.btn.primary'],
    });

    await page.getByRole('option', { name: bob.user }).click();
    const text = `A message long enough to wrap over more than one line in the bubble, so its width is the bubble's ${unique('w')}`;
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
    await page.locator('cc-chat-view .msg.out').getByText(text).waitFor();
    await page.locator('cc-chat-view .msg.out[data-status="sent"], cc-chat-view .msg.out[data-status="delivered"]').first().waitFor();
    await box.fill('a draft');
    await sameUnderHostileCss(page, {
      header: ['cc-chat-view', 'header'], name: ['cc-chat-view', 'header .name'],
      bubble: ['cc-chat-view', '.msg.out'], body: ['cc-chat-view', '.msg.out .body'], time: ['cc-chat-view', '.msg.out time'],
      composer: ['cc-chat-view', 'cc-chat-composer', 'textarea'], send: ['cc-chat-view', 'cc-chat-composer', 'button[type=submit]'],
      emoji: ['cc-chat-view', 'cc-chat-composer', '.emoji-btn'],
    });
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  it('the widget, open on a conversation, does not change the page\'s own elements', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const ctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await ctx.newPage();
    await page.goto(`${web.origin}/host?widget=0`);
    const without = await probeStyles(page);
    await hostile(page);
    const withoutHostile = await probeStyles(page);
    await page.goto(`${web.origin}/host?${new URLSearchParams({ widget: '1', service: stack.service, jid: alice.jid, password: alice.password, with: bob.jid, open: '' })}`);
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    assert.deepEqual(await probeStyles(page), without);
    await hostile(page);
    assert.deepEqual(await probeStyles(page), withoutHostile);
    assert.equal(await page.evaluate(() => document.adoptedStyleSheets.length + document.styleSheets.length), 1, 'only the page\'s own stylesheet');
    await ctx.close();
  });
});
