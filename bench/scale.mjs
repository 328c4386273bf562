// Scale figures of SPEC §9, run by `npm run bench`: a 10,000-contact roster, and scrolling back
// through 5,000 archived messages. Measured in headless Chromium against a local Prosody; printed
// and written to bench/results/scale.json, never asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { client, xml } from '@xmpp/client';
import { makeContacts } from '../server/contacts.mjs';
import { createStack } from '../server/devstack.mjs';
import { launchBrowser, pageUrl, startStaticServer, writeRoster } from '../test/support/e2e.mjs';

const rows = [];
const row = (figure, value, budget = '') => { rows.push({ figure, value, budget }); console.log(`  ${figure.padEnd(52)} ${String(value).padStart(12)}  ${budget}`); };
const ms = (n) => `${Math.round(n)} ms`;
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;

/** Records the longest main-thread task from now on. */
const watchLongTasks = () => {
  window.ccLong = 0;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.ccLong = Math.max(window.ccLong, e.duration); }).observe({ type: 'longtask', buffered: true });
};

const stack = createStack({ dir: `.runtime/bench-scale-${process.pid}`, httpPort: 27380, c2sPort: 27381, componentPort: 27382, turnPort: 27383, quiet: true });
await stack.start();
const [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
const user = (p) => { const u = `${p}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`; stack.prosodyctl(['register', u, 'localhost', 'pw']); return { user: u, password: 'pw', jid: `${u}@localhost` }; };
const heap = async (page) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
};

try {
  // 10,000 contacts, written straight into the server's roster store.
  const big = user('roster');
  writeRoster(big, Array.from({ length: 10_000 }, (_, i) => ({ jid: `c${i}@localhost`, name: `Contact ${i}` })), stack);
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.addInitScript(watchLongTasks);
    await page.addInitScript(() => {
      document.addEventListener('cc-ready', () => { window.ccOnline = performance.now(); }, { once: true });
      const poll = () => {
        const li = document.querySelector('cc-chat')?.shadowRoot?.querySelector('cc-chat-list')?.shadowRoot?.querySelector('li[aria-setsize="10000"]');
        if (li) window.ccList = performance.now(); else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
    await page.goto(pageUrl(web.origin, { mode: 'embedded', service: stack.service, jid: big.jid, password: big.password }));
    await page.waitForFunction(() => window.ccList, null, { timeout: 60_000 });
    const t = await page.evaluate(() => ({ online: window.ccOnline, list: window.ccList, long: window.ccLong }));
    row('roster 10,000: online → list shown', ms(t.list - t.online), '< 500 ms');
    row('roster 10,000: longest main-thread task', ms(t.long), '≤ 50 ms');
    row('roster 10,000: JS heap', mb(await heap(page)));
    await ctx.close();
  }

  // 5,000 archived messages, then scrolling back to the first.
  const [a, b] = [user('hist'), user('hist')];
  await Promise.all((await makeContacts(stack.service, 'localhost', [a, b], 'bench')).map((s) => s.x.stop()));
  const x = client({ service: stack.service, domain: 'localhost', username: b.user, password: b.password, resource: 'bench' });
  x.on('error', () => {});
  await x.start();
  for (let i = 0; i < 5000; i++) {
    await x.send(xml('message', { to: a.jid, type: 'chat', id: `h${i}` }, xml('body', {}, `history ${i}`)));
    if (i % 200 === 199) await x.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  }
  await x.stop();
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(pageUrl(web.origin, { mode: 'embedded', service: stack.service, jid: a.jid, password: a.password, with: b.jid }));
    const log = page.locator('cc-chat-view .log');
    await page.locator('cc-chat-view .msg .body').getByText('history 4999', { exact: true }).waitFor({ timeout: 30_000 });
    await page.evaluate(watchLongTasks);
    const t0 = Date.now();
    const count = () => page.evaluate(() => document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view').conv.$messages.get().length);
    for (const deadline = Date.now() + 180_000; Date.now() < deadline && (await count()) < 5000;) {
      await log.evaluate((el) => { el.scrollTop = 0; });
      await page.waitForTimeout(50); // a user flinging upwards, not a condition to wait for
    }
    await log.evaluate((el) => { el.scrollTop = 0; });
    await page.locator('cc-chat-view .msg .body').getByText('history 0', { exact: true }).waitFor({ timeout: 30_000 });
    row('history 5,000: scrolled back to the first in', ms(Date.now() - t0));
    row('history 5,000: messages loaded', await count(), '= 5000');
    row('history 5,000: longest main-thread task', ms(await page.evaluate(() => window.ccLong)), '≤ 50 ms');
    row('history 5,000: JS heap', mb(await heap(page)), '≤ 50 MB');
    await ctx.close();
  }
} finally {
  await browser.close();
  await web.close();
  await stack.stop();
}

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/scale.json', JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
