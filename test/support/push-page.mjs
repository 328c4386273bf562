// Serves the web push test page on loopback: dist/ at the site root (so /cc-sw.js is the built
// service worker and its precache manifest resolves), /push.html, and /push-page.js, the page's
// script bundled from test/e2e/fixtures/push-page.ts at start.
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
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/push.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>push test page</title>
<script type="module" src="/push-page.js"></script></head><body><p>Opened: <output id="opened"></output></p></body></html>`);
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
  return { origin: `http://localhost:${port}`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
}
