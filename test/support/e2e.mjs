// End-to-end harness: Debian's Chromium via playwright-core, a static server for the repo (dist/,
// demo/) and pages rendered from attributes only, accounts on the harness's Prosody.
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { client, xml } from '@xmpp/client';
import { chromium } from 'playwright-core';
import { makeContacts } from '../../server/contacts.mjs';
import { testStack } from './stack-env.mjs';

export const stack = testStack();
const root = process.cwd();
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.wasm': 'application/wasm' };

const esc = (/** @type {string} */ s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Serves the repo read-only, plus `/page?tag=cc-chat&attr=value…`: a page with only the script tag
 * and one element carrying the given attributes — no JavaScript of its own. `headers` go on every
 * response (e.g. a Content-Security-Policy).
 */
export async function startStaticServer(/** @type {{ handle?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean, headers?: Record<string, string> }} */ opts = {}) {
  const server = createServer(async (req, res) => {
    for (const [k, v] of Object.entries(opts.headers ?? {})) res.setHeader(k, v);
    if (opts.handle?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/page') {
      const tag = url.searchParams.get('tag') ?? 'cc-chat';
      const attrs = [...url.searchParams].filter(([k]) => k !== 'tag' && /^[a-z-]+$/.test(k))
        .map(([k, v]) => (v === '' ? k : `${k}="${esc(v)}"`)).join(' ');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cc test page</title>
<script type="module" src="/dist/cc.js"></script></head>
<body style="margin:0;height:100vh"><${tag} ${attrs}></${tag}></body></html>`);
      return;
    }
    const file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root) || file.includes('node_modules/.cache')) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { origin: `http://localhost:${addr.port}`, close: () => new Promise((r) => server.close(r)) };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
];

/** Debian's Chromium; `args` replaces the default flags (e.g. without the fake permission prompt). */
export function launchBrowser(args = CHROMIUM_ARGS) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
}

let n = 0;
export const unique = (/** @type {string} */ prefix) => `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}`;

/** A fresh account on the test server. */
export function newAccount(prefix = 'u') {
  const user = unique(prefix);
  const password = `pw-${user}`;
  stack.prosodyctl(['register', user, stack.domain, password]);
  return { user, password, jid: `${user}@${stack.domain}` };
}

/**
 * Gives `account` a large roster at once by writing Prosody's roster file (read at login), instead
 * of thousands of roster round trips. Only for accounts that are not logged in yet.
 * @param {{ user: string }} account @param {{ jid: string, name: string }[]} items
 * @param {{ dir: string, domain: string }} [st] the stack (default: the test stack)
 */
export function writeRoster(account, items, st = stack) {
  const q = (/** @type {string} */ s) => JSON.stringify(s); // ASCII only here: JSON and Lua quoting agree
  const body = items.map((i) => `[${q(i.jid)}] = { subscription = "both"; groups = {}; name = ${q(i.name)} };`).join('\n');
  const file = `${st.dir}/data/${encodeURIComponent(st.domain)}/roster/${account.user.replace(/\W/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}.dat`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `return {\n[false] = { version = 1; pending = {} };\n${body}\n};\n`);
}

/**
 * A plain XMPP client (Node, not cc) for `me`, resolved once stream management is on: @xmpp/client
 * announces itself online before <enabled/>, and a stanza arriving in between throws its ack count
 * off until the server ends the stream. With `available` it then sends its initial presence (again
 * after a reconnect that starts a new session). `got` keeps every stanza it receives. Login
 * failures reject; later errors are logged, not thrown, so a dropped stream explains a failure
 * instead of hiding it. The caller stops it (`stop` never rejects).
 * @param {{ user: string, password: string }} me
 * @param {{ available?: boolean, resource?: string }} [opts]
 */
export async function rawClient(me, { available = true, resource = unique('raw') } = {}) {
  const x = client({ service: stack.service, domain: stack.domain, username: me.user, password: me.password, resource });
  let up = false;
  x.on('error', (e) => { if (up) console.log(`raw client ${me.user}: ${e.message}`); });
  /** @type {import('@xmpp/client').Element[]} */
  const got = [];
  x.on('stanza', (s) => got.push(s));
  const announce = async () => {
    await until(() => x.streamManagement.enabled, `${me.user}'s stream management`);
    if (available) await x.send(xml('presence'));
  };
  try {
    await x.start();
    await announce();
  } catch (e) {
    x.reconnect.stop();
    await x.stop().catch(() => {});
    throw e;
  }
  up = true;
  x.on('online', () => void announce().catch((e) => console.log(`raw client ${me.user}: ${e.message}`)));
  return { x, got, stop: () => x.stop().catch(() => {}) };
}

/** @param {{ user: string, password: string }[]} accounts */
export async function befriend(...accounts) {
  const sessions = await makeContacts(stack.service, stack.domain, accounts, unique('setup'));
  await Promise.all(sessions.map((s) => s.x.stop()));
}

/** URL of a page holding one element with these attributes. */
export function pageUrl(/** @type {string} */ origin, /** @type {Record<string, string>} */ attrs, tag = 'cc-chat') {
  return `${origin}/page?${new URLSearchParams({ tag, ...attrs })}`;
}

/**
 * Opens `attrs` as a cc-chat page in its own browser context (own storage, own session).
 * @param {import('playwright-core').Browser} browser @param {string} origin
 * @param {{ user: string, password: string, jid: string }} me @param {Record<string, string>} attrs
 */
export async function openAs(browser, origin, me, attrs, viewport = { width: 1000, height: 700 }) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  // The initial presence on the wire: from then on the server routes messages to this page (the
  // test server keeps no offline store, so a message sent before it would go to the archive only).
  let available = false;
  /** @type {string[]} What the page wrote to its sockets. */
  const sent = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => {
    if (typeof f.payload !== 'string') return;
    sent.push(f.payload);
    if (/^<presence\b(?![^>]*\s(?:to|type)=)/.test(f.payload)) available = true;
  }));
  const trace = traceOf(page, `${me.jid} ${JSON.stringify(attrs)}`);
  ctx.on('close', () => traces.delete(trace));
  await page.goto(pageUrl(origin, { service: stack.service, jid: me.jid, password: me.password, ...attrs }));
  return { ctx, page, errors, sent, available: () => available };
}

/** What the open pages did lately (console, socket frames), shown when a wait times out. */
const traces = new Set();
function traceOf(/** @type {import('playwright-core').Page} */ page, label) {
  const t0 = Date.now();
  const lines = [];
  const add = (/** @type {string} */ s) => {
    lines.push(`${((Date.now() - t0) / 1000).toFixed(2)} ${s.replace(/\s+/g, ' ').slice(0, 240)}`);
    if (lines.length > 60) lines.shift();
  };
  page.on('console', (m) => add(`console.${m.type()} ${m.text()}`));
  page.on('pageerror', (e) => add(`pageerror ${e.message}`));
  page.on('websocket', (ws) => {
    add(`ws open ${ws.url()}`);
    ws.on('framesent', (f) => add(`> ${f.payload}`));
    ws.on('framereceived', (f) => add(`< ${f.payload}`));
    ws.on('close', () => add('ws closed'));
  });
  const trace = { label, lines };
  traces.add(trace);
  return trace;
}

function traceDump() {
  // The pages of the test that waited are the newest ones.
  return [...traces].slice(-3).map((t) => `\n--- ${t.label}\n${t.lines.join('\n')}`).join('');
}

/**
 * cc-chat on `page` is connected: its panes are up (its session attached) and it shows no connection
 * status line. (Before the session attaches there is no status line either.)
 */
export const chatOnline = (/** @type {import('playwright-core').Page} */ page, timeout = 15000) => until(() => page.evaluate(() => {
  const root = document.querySelector('cc-chat')?.shadowRoot;
  return !!root?.querySelector('cc-chat-list, cc-chat-view') && !root.querySelector('.status');
}), 'cc-chat online', timeout);

/** Polls `fn` in Node until truthy; fails with `what` after `timeout` ms. */
export async function until(fn, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${last})` : ''}${process.env.CC_TEST_TRACE === '0' ? '' : traceDump()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Message texts the user can see, top to bottom: a virtual list's DOM order differs from what is
 * shown, and it keeps a few rows outside the viewport or hidden while it measures them.
 */
export function shownBodies(/** @type {import('playwright-core').Page} */ page, selector = 'cc-chat-view .msg .body') {
  return page.locator(selector).evaluateAll((els) => els
    .filter((e) => {
      const r = e.getBoundingClientRect();
      const log = e.closest('.log')?.getBoundingClientRect();
      const row = e.closest('.row');
      return r.height > 0 && (!row || getComputedStyle(row).visibility !== 'hidden') && (!log || (r.bottom > log.top && r.top < log.bottom));
    })
    .map((e) => ({ t: e.textContent ?? '', y: e.getBoundingClientRect().top }))
    .sort((a, b) => a.y - b.y).map((e) => e.t));
}

/**
 * Every row of the open conversation, top to bottom, read as a user would: from the end, up a
 * screen at a time. Screens overlap and are joined on the overlap, so a message shown twice is
 * here twice. Rows: `{ t: text, status }` (status: data-status of the bubble).
 * @param {import('playwright-core').Page} page
 */
export async function readConversation(page, step = 0.6) {
  const log = page.locator('cc-chat-view .log');
  const screen = () => log.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return [...el.querySelectorAll('.msg .body')]
      .map((b) => ({ b, r: b.getBoundingClientRect(), row: b.closest('.row') }))
      .filter(({ r, row }) => r.height > 0 && (!row || getComputedStyle(row).visibility !== 'hidden') && r.bottom > box.top && r.top < box.bottom)
      .sort((x, y) => x.r.top - y.r.top)
      .map(({ b }) => ({ t: b.textContent ?? '', status: b.closest('.msg')?.getAttribute('data-status') ?? '' }));
  });
  const settled = async () => {
    let last = '';
    return until(async () => {
      const rows = await screen();
      const sig = JSON.stringify(rows);
      const same = sig === last;
      last = sig;
      return same && rows;
    }, 'the conversation to settle after scrolling', 10000);
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await readOnce();
    } catch (e) {
      // Older history loaded at the top moves what is shown: read again from the end.
      if (attempt === 3) throw e;
    }
  }

  async function readOnce() {
  await log.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  /** @type {{ t: string, status: string }[]} */
  let all = await settled();
  for (let atTop = 0; atTop < 2;) {
    const top = await log.evaluate((el, f) => {
      el.scrollTop = Math.max(0, el.scrollTop - el.clientHeight * f);
      return el.scrollTop;
    }, step);
    const rows = await settled();
    // The largest k such that this screen's last k rows are the first k we have.
    let k = Math.min(rows.length, all.length);
    while (k > 0 && !rows.slice(rows.length - k).every((r, i) => r.t === all[i].t)) k--;
    if (k === 0 && rows.length && all.length) throw new Error('two screens did not overlap while reading the conversation');
    all = [...rows.slice(0, rows.length - k), ...all];
    atTop = top <= 0 ? atTop + 1 : 0;
  }
  return all;
  }
}
