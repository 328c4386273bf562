// `npm run bench`: SPEC §9 figures measured in headless Chromium against a local Prosody started
// here. Prints a table and writes bench/results/latest.json. Figures are measured, never asserted.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import { client, xml } from '@xmpp/client';
import { measure } from '../server/size-budget.mjs';
import { makeContacts } from '../server/contacts.mjs';
import { createStack } from '../server/devstack.mjs';
import { launchBrowser, startStaticServer, pageUrl } from '../test/support/e2e.mjs';

const RUNS = Number(process.env.CC_BENCH_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const row = (figure, value, budget = '') => { rows.push({ figure, value, budget }); console.log(`  ${figure.padEnd(52)} ${String(value).padStart(12)}  ${budget}`); };

await run('npm', ['run', '--silent', 'build']);
const sizes = measure('dist');
const brotli = sizes.files.reduce((n, f) => n + (f.file.endsWith('.js') ? brotliCompressSync(readFileSync(`dist/${f.file}`)).length : 0), 0);
console.log('\ncc bench (medians of', RUNS, 'runs where repeated)\n');
row('bundle: cc-chat first paint (gzip)', kb(sizes.firstPaint), '≤ 40 KB');
row('bundle: all chunks (gzip)', kb(sizes.total), '≤ 150 KB');
row('bundle: all chunks (brotli)', kb(brotli));

const stack = createStack({ dir: `.runtime/bench-${process.pid}`, httpPort: 27280, c2sPort: 27281, componentPort: 27282, turnPort: 27283, quiet: true });
await stack.start();
const [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
try {
  const user = (p) => { const u = `${p}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`; stack.prosodyctl(['register', u, 'localhost', 'pw']); return { user: u, password: 'pw', jid: `${u}@localhost` }; };
  const login = async (acc) => { const x = client({ service: stack.service, domain: 'localhost', username: acc.user, password: acc.password, resource: 'bench' }); x.on('error', () => {}); await x.start(); return x; };

  // Cold start: navigation → online (cc-ready) → conversation list shown.
  const alice = user('alice'); const bob = user('bob');
  const seeded = await makeContacts(stack.service, 'localhost', [alice, bob], 'bench');
  await Promise.all(seeded.map((s) => s.x.stop()));
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      document.addEventListener('cc-ready', () => { window.ccOnline = performance.now(); }, { once: true });
      const poll = () => {
        const list = document.querySelector('cc-chat')?.shadowRoot?.querySelector('cc-chat-list')?.shadowRoot?.querySelector('li[role=option]');
        if (list) window.ccList = performance.now(); else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
    await page.goto(pageUrl(web.origin, { mode: 'embedded', service: stack.service, jid: alice.jid, password: alice.password }));
    await page.waitForFunction(() => window.ccList && window.ccOnline, null, { timeout: 20000 });
    cold.push(await page.evaluate(() => ({ online: window.ccOnline, list: window.ccList })));
    await ctx.close();
  }
  row('cold start: navigation → online', ms(median(cold.map((c) => c.online))));
  row('cold start: navigation → list shown', ms(median(cold.map((c) => c.list))), '≤ 150 ms after script load');

  // Burst: 1,000 incoming messages sent as fast as the sender can.
  const carol = user('carol'); const dave = user('dave');
  await Promise.all((await makeContacts(stack.service, 'localhost', [carol, dave], 'bench')).map((s) => s.x.stop()));
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      window.ccLong = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.ccLong = Math.max(window.ccLong, e.duration); }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(pageUrl(web.origin, { mode: 'embedded', service: stack.service, jid: carol.jid, password: carol.password, with: dave.jid }));
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('cc-chat').shadowRoot.querySelector('.status'));
    await page.evaluate(() => { window.ccLong = 0; });
    const x = await login(dave);
    const t0 = Date.now();
    // Written back to back (each awaits only the socket write).
    for (let i = 0; i < 1000; i++) await x.send(xml('message', { to: carol.jid, type: 'chat', id: `b${i}` }, xml('body', {}, `burst ${i}`)));
    const sent = Date.now() - t0;
    const count = () => page.evaluate(() => document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view').conv.$messages.get().length);
    let n = 0;
    for (const deadline = Date.now() + 30000; Date.now() < deadline && (n = await count()) < 1000;) await new Promise((r) => setTimeout(r, 20));
    // Shown means in view: the conversation must follow the stream without anyone scrolling.
    const inView = await page.waitForFunction((last) => {
      const log = document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view').shadowRoot.querySelector('.log');
      const box = log.getBoundingClientRect();
      return [...log.querySelectorAll('.msg .body')].some((b) => {
        const r = b.getBoundingClientRect();
        return b.textContent === last && r.height > 0 && r.bottom > box.top && r.top < box.bottom;
      });
    }, `burst ${n - 1}`, { timeout: 10000, polling: 10 }).then(() => true, () => false);
    const shown = Date.now() - t0;
    row('burst: sender wrote 1,000 messages in', ms(sent));
    row('burst: 1,000 incoming → last shown', inView ? ms(shown) : `not in view after ${ms(shown)}`, '≤ 1 s');
    row('burst: messages in the conversation', n, '= 1000');
    row('burst: longest main-thread task', ms(await page.evaluate(() => window.ccLong)), '≤ 100 ms');
    await x.stop();
    await ctx.close();
  }
} finally {
  await browser.close();
  await web.close();
  await stack.stop();
}

console.log('\n  whiteboard (bench/whiteboard.mjs):');
await run(process.execPath, ['--experimental-websocket', 'bench/whiteboard.mjs']).catch((e) => console.log('  whiteboard bench failed:', e.message));

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify({ at: new Date().toISOString(), runs: RUNS, rows }, null, 2));
console.log('\n  written to bench/results/latest.json');

function kb(n) { return `${(n / 1024).toFixed(1)} KB`; }
function ms(n) { return `${Math.round(n)} ms`; }
function run(cmd, args) {
  return new Promise((resolve, reject) => spawn(cmd, args, { stdio: 'inherit' }).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`${cmd} exited ${c}`)))));
}
