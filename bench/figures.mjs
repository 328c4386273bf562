// The runtime figures, each measured the same way for every client: cold start and the
// 1,000-message burst. Returns numbers; bench/run.mjs prints them side by side.
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { xml } from '@xmpp/client';

/**
 * A fresh browser context that only talks to loopback (Converse's UI links sponsor logos on the
 * internet), records the longest main-thread task, and the first animation frame at which the list
 * shows (`shown(arg)`, run in the page; by default the conversation list's first entry).
 * @param {import('playwright-core').Browser} browser @param {import('./clients.mjs').Client} client
 * @param {(arg?: any) => boolean} [shown] @param {unknown} [arg]
 */
export async function newPage(browser, client, shown = client.listShown, arg = null) {
  const ctx = await browser.newContext();
  await ctx.route(/^https?:\/\/(?!(localhost|127\.0\.0\.1)[:/])/, (r) => r.abort());
  const page = await ctx.newPage();
  await page.addInitScript(({ src, arg }) => {
    const w = /** @type {any} */ (window);
    document.addEventListener('cc-ready', () => { w.ccOnline ??= performance.now(); }, { once: true });
    w.ccLong = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.ccLong = Math.max(w.ccLong, e.duration); }).observe({ type: 'longtask', buffered: true });
    const isShown = new Function('arg', `return (${src})(arg)`);
    const poll = () => { if (isShown(arg)) w.ccList = performance.now(); else requestAnimationFrame(poll); };
    requestAnimationFrame(poll);
  }, { src: shown.toString(), arg });
  return { ctx, page };
}

/**
 * Cold start: navigation → online → conversation list (roster) shown, `runs` times in fresh
 * contexts; the first run also records the bytes of every script and stylesheet the page loaded.
 */
export async function coldStart(browser, origin, client, account, runs) {
  const times = [];
  let loaded;
  for (let i = 0; i < runs; i++) {
    const { ctx, page } = await newPage(browser, client);
    const bodies = [];
    if (i === 0) page.on('response', (r) => { if (/\.(m?js|css|wasm)(\?|$)/.test(r.url())) bodies.push(r.body().catch(() => Buffer.alloc(0))); });
    await page.goto(client.url(origin, account));
    await page.waitForFunction(() => /** @type {any} */ (window).ccList && /** @type {any} */ (window).ccOnline, null, { timeout: 30000 });
    times.push(await page.evaluate(() => ({ online: /** @type {any} */ (window).ccOnline, list: /** @type {any} */ (window).ccList })));
    if (i === 0) {
      const all = await Promise.all(bodies);
      loaded = {
        files: all.length,
        gzip: all.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
        brotli: all.reduce((n, b) => n + brotliCompressSync(b).length, 0),
      };
    }
    await ctx.close();
  }
  return { online: times.map((t) => t.online), list: times.map((t) => t.list), loaded };
}

/**
 * 1,000 messages from a contact, written back to back by a Node client, into an open conversation:
 * when all are in the client's store, when the last is on screen (null: not within 30 s of that),
 * the longest main-thread task.
 */
export async function burst(browser, origin, client, me, peer, login, n = 1000) {
  const { ctx, page } = await newPage(browser, client);
  await page.goto(client.url(origin, { ...me, with: peer.jid }));
  await client.composerReady(page);
  await page.evaluate(() => { /** @type {any} */ (window).ccLong = 0; });
  const x = await login(peer);
  // Write only once the server routes to the client: the peer sees it online. (Messages sent before
  // its presence reach the archive only, and then count as lost here.)
  const online = new Promise((resolve) => x.on('stanza', (s) => { if (s.is('presence') && !s.attrs.type && s.attrs.from?.startsWith(`${me.jid}/`)) resolve(true); }));
  await x.send(xml('presence'));
  await Promise.race([online, new Promise((r) => setTimeout(r, 30000))]);
  const prefix = `burst ${Math.random().toString(36).slice(2, 7)} `;
  const t0 = Date.now();
  for (let i = 0; i < n; i++) await x.send(xml('message', { to: me.jid, type: 'chat', id: `${prefix}${i}`.replace(/ /g, '-') }, xml('body', {}, `${prefix}${i}`)));
  const sent = Date.now() - t0;
  let count = 0;
  for (const deadline = Date.now() + 180000; Date.now() < deadline && (count = await client.count(page, peer.jid, prefix)) < n;) await new Promise((r) => setTimeout(r, 20));
  const stored = count === n ? Date.now() - t0 : null;
  const shown = await client.shown(page, `${prefix}${n - 1}`).waitFor({ timeout: 30000 }).then(() => Date.now() - t0, () => null);
  const longest = await page.evaluate(() => /** @type {any} */ (window).ccLong);
  await x.stop();
  await ctx.close();
  return { sent, stored, shown, count, longest };
}
