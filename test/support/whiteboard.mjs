// Helpers for the cc-whiteboard end-to-end tests: boards opened from attributes only in isolated
// browser contexts, drawing with the mouse, reading what a board holds, and a private Prosody for
// tests that restart the server (the shared test server belongs to the test runner).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStack } from '../../server/devstack.mjs';
import { pageUrl, unique, until } from './e2e.mjs';

export const roomName = () => `${unique('board')}@conference.localhost`;

/**
 * Opens a page holding only `<cc-whiteboard>` with these attributes, in its own browser context.
 * @param {import('playwright-core').Browser} browser
 * @param {string} origin
 * @param {{ service: string }} server
 * @param {{ jid: string, password: string, user: string }} me
 * @param {Record<string, string>} attrs
 * `setup(page)` runs before the page loads (e.g. to add init scripts); `contextOptions` go to the
 * browser context (e.g. `{ hasTouch: true }`).
 */
export async function openBoard(browser, origin, server, me, attrs, viewport = { width: 900, height: 640 }, setup = async (/** @type {import('playwright-core').Page} */ _page) => {}, contextOptions = {}) {
  const ctx = await browser.newContext({ viewport, ...contextOptions });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await setup(page);
  await page.goto(pageUrl(origin, { service: server.service, jid: me.jid, password: me.password, nick: me.user.split('-')[0], ...attrs }, 'cc-whiteboard'));
  await waitReady(page);
  return { ctx, page, errors, me };
}

/**
 * Init script: records every text painted on a board's overlay canvas (remote cursors' labels are
 * canvas text, not markup) in `window.ccOverlayTexts`.
 */
export function recordOverlayText() {
  const texts = new Set();
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    if (this.canvas.classList?.contains('overlay')) texts.add(String(text));
    return fill.call(this, text, ...rest);
  };
  Object.assign(window, { ccOverlayTexts: () => [...texts] });
}

/** Joins `room` as its owner from a plain Node client (creating it) and submits this room configuration. */
export async function configureRoom(server, account, room, fields) {
  const { client, xml } = await import('@xmpp/client');
  const x = client({ service: server.service, domain: server.domain, username: account.user, password: account.password, resource: unique('owner') });
  x.on('error', () => {});
  await x.start();
  const joined = new Promise((r) => x.on('stanza', (s) => { if (s.is('presence') && s.attrs.from === `${room}/owner`) r(undefined); }));
  await x.send(xml('presence', { to: `${room}/owner` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
  await joined;
  const field = ([name, value]) => xml('field', { var: name }, xml('value', {}, value));
  await x.iqCaller.request(xml('iq', { type: 'set', to: room }, xml('query', { xmlns: 'http://jabber.org/protocol/muc#owner' },
    xml('x', { xmlns: 'jabber:x:data', type: 'submit' }, field(['FORM_TYPE', 'http://jabber.org/protocol/muc#roomconfig']), ...Object.entries(fields).map(field)))));
  return { stop: () => x.stop().catch(() => {}) };
}

/** Waits until the board has joined its room and loaded it. */
export async function waitReady(page, timeout = 20000) {
  await page.waitForFunction(() => document.querySelector('cc-whiteboard')?._sync?.state === 'ready', null, { timeout, polling: 50 });
}

/** Runs `fn(board, element)` in the page, with the board's headless model. */
export function onBoard(page, fn, arg) {
  return page.evaluate(([src, a]) => {
    const el = document.querySelector('cc-whiteboard');
    return new Function('board', 'el', 'arg', `return (${src})(board, el, arg)`)(el.board, el, a);
  }, [fn.toString(), arg]);
}

export const count = (page) => onBoard(page, (b) => b.elements.size);
export const canonical = (page) => onBoard(page, (b) => b.canonical());
export const authors = (page) => onBoard(page, (b) => [...b.elements.values()].map((e) => e.author).sort());

/** Waits until `page`'s board holds `n` elements. */
export async function waitCount(page, n, timeout = 20000) {
  await page.waitForFunction((want) => document.querySelector('cc-whiteboard')?.board?.elements.size === want, n, { timeout, polling: 50 });
}

/** Drags the mouse along `points` (board-relative CSS px) with the current tool. */
export async function drag(page, points) {
  const box = await page.locator('cc-whiteboard canvas.overlay').boundingBox();
  const [first, ...rest] = points;
  await page.mouse.move(box.x + first[0], box.y + first[1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
  await page.mouse.up();
}

/** The RGBA of a device pixel of the board's scene canvas at CSS point (x, y). */
export function scenePixel(page, x, y) {
  return page.evaluate(([px, py]) => {
    const c = document.querySelector('cc-whiteboard').shadowRoot.querySelector('canvas.scene');
    const dpr = c.width / c.clientWidth;
    return [...c.getContext('2d').getImageData(Math.round(px * dpr), Math.round(py * dpr), 1, 1).data];
  }, [x, y]);
}

/** Waits until `page`'s scene canvas shows paint (non-transparent) within `r` CSS px of (x, y). */
export async function waitPainted(page, x, y, r = 3, timeout = 15000) {
  await page.waitForFunction(([px, py, pr]) => {
    const c = document.querySelector('cc-whiteboard')?.shadowRoot?.querySelector('canvas.scene');
    if (!c || !c.width) return false;
    const dpr = c.width / c.clientWidth;
    const d = c.getContext('2d').getImageData(Math.round((px - pr) * dpr), Math.round((py - pr) * dpr), Math.ceil(2 * pr * dpr) + 1, Math.ceil(2 * pr * dpr) + 1).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
    return false;
  }, [x, y, r], { timeout, polling: 50 });
}

/**
 * The box (board-relative CSS px, edges exclusive) around everything painted on the scene canvas:
 * where the user sees the drawing. Null when nothing is painted.
 */
export function inkBox(page) {
  return page.evaluate(() => {
    const c = document.querySelector('cc-whiteboard').shadowRoot.querySelector('canvas.scene');
    const dpr = c.width / c.clientWidth;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        if (d[(y * c.width + x) * 4 + 3] < 128) continue;
        x0 = Math.min(x0, x); x1 = Math.max(x1, x + 1);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y + 1);
      }
    }
    return x0 === Infinity ? null : { x0: x0 / dpr, y0: y0 / dpr, x1: x1 / dpr, y1: y1 / dpr };
  });
}

/**
 * Waits until the painted box is `want` (within `tol` CSS px on every edge); fails with what is shown.
 * @param {{ x0: number, y0: number, x1: number, y1: number }} want
 */
export async function waitInkBox(page, want, what, tol = 2) {
  let seen;
  try {
    await until(async () => {
      seen = await inkBox(page);
      return seen && ['x0', 'y0', 'x1', 'y1'].every((k) => Math.abs(seen[k] - want[k]) <= tol);
    }, what, 5000);
  } catch {
    throw new Error(`${what}: painted box ${JSON.stringify(seen)}, expected ${JSON.stringify(want)} (±${tol})`);
  }
  return seen;
}

/** `b` moved by (dx, dy) and scaled by `f` about screen point (cx, cy): what a camera change does to it. */
export function moved(b, dx, dy, f = 1, cx = 0, cy = 0) {
  return { x0: cx + (b.x0 - cx) * f + dx, y0: cy + (b.y0 - cy) * f + dy, x1: cx + (b.x1 - cx) * f + dx, y1: cy + (b.y1 - cy) * f + dy };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A Prosody of our own (same config template as the test server), so a test may restart it without
 * disturbing the shared one. Stopped (by its PID, through the stack) and removed by `dispose()`.
 */
export async function privateStack() {
  const dir = mkdtempSync(join(tmpdir(), 'cc-wb-prosody-'));
  const [httpPort, c2sPort, componentPort, turnPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const stack = createStack({ dir, httpPort, c2sPort, componentPort, turnPort, quiet: true });
  await stack.start();
  return {
    stack,
    service: stack.service,
    account(prefix = 'u') {
      const user = unique(prefix);
      const password = `pw-${user}`;
      stack.prosodyctl(['register', user, stack.domain, password]);
      return { user, password, jid: `${user}@${stack.domain}` };
    },
    async dispose() {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An ordinary XMPP client (Node, @xmpp/client) sitting in the room and recording every groupchat
 * message it gets: what a chat client that knows nothing about boards would see.
 * @param {{ service: string, domain: string }} server
 * @param {{ user: string, password: string }} account
 * @param {string} room
 */
export async function roomObserver(server, account, room) {
  const { client, xml } = await import('@xmpp/client');
  const x = client({ service: server.service, domain: server.domain, username: account.user, password: account.password, resource: unique('observer') });
  x.on('error', () => {});
  const messages = [];
  let joined;
  const inRoom = new Promise((r) => { joined = r; });
  x.on('stanza', (s) => {
    if (s.is('message') && s.attrs.type === 'groupchat') messages.push(s);
    if (s.is('presence') && s.getChild('x', 'http://jabber.org/protocol/muc#user')?.getChildren('status').some((c) => c.attrs.code === '110')) joined();
  });
  await x.start();
  await x.send(xml('presence', { to: `${room}/observer` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
  await inRoom;
  return { messages, stop: () => x.stop().catch(() => {}) };
}

export { until } from './e2e.mjs';
