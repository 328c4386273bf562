// Serves the web push test pages on loopback: dist/ at the site root (so /cc-sw.js is the built
// service worker and its precache manifest resolves), /push.html, and /push-page.js, the page's
// script bundled from test/e2e/fixtures/push-page.ts at start; and plain cc-chat pages (only the
// script tag and the element) at fixed paths, as a site has them: a notification click opens the
// page that enabled push by its path, without the query.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve('dist');
const TYPES = { '.js': 'text/javascript', '.map': 'application/json', '.html': 'text/html' };

export async function startPushPageServer() {
  const bundle = await build({
    entryPoints: ['test/e2e/fixtures/push-page.ts'], bundle: true, format: 'esm', platform: 'browser',
    target: 'es2022', write: false, logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'node:dns': resolve('src/shims/empty.ts') },
  });
  const script = bundle.outputFiles[0].text;
  /** @type {Map<string, Record<string, string>>} */
  const chatPages = new Map();
  let pages = 0;
  const esc = (/** @type {string} */ v) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/push.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>push test page</title>
<script type="module" src="/push-page.js"></script></head><body><p>Opened: <output id="opened"></output></p></body></html>`);
      return;
    }
    const chat = chatPages.get(url.pathname);
    if (chat) {
      const attrs = Object.entries(chat).map(([k, v]) => (v === '' ? k : `${k}="${esc(v)}"`)).join(' ');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cc chat</title>
<script type="module" src="/cc.js"></script></head><body style="margin:0;height:100vh"><cc-chat ${attrs}></cc-chat></body></html>`);
      return;
    }
    if (url.pathname === '/push-page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
      return;
    }
    const file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://localhost:${port}`;
  return {
    origin,
    /** A new page at its own path with one cc-chat carrying `attrs`; returns its URL. @param {Record<string, string>} attrs */
    chatPage(attrs) {
      const path = `/site/${++pages}/chat.html`;
      chatPages.set(path, attrs);
      return origin + path;
    },
    close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  };
}
