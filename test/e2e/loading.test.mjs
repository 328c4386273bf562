// dist/cc.js loaded twice (the same file again, and a second copy from another path) or after the
// tags are already in the page: no exception, every element upgrades once and works.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { makeContacts } from '../../server/contacts.mjs';
import { launchBrowser, newAccount, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;
const dir = `.runtime/loading-${process.pid}`;
const copy = `${dir}/dist-copy`;

before(async () => {
  // A second, separate copy of the bundle (another CDN path or version of the same files).
  mkdirSync(dir, { recursive: true });
  cpSync('dist', copy, { recursive: true });
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

const esc = (/** @type {string} */ s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Opens a page whose HTML is `head` plus the three elements for a fresh account that has a contact
 * online (a Node client that records what it receives).
 */
async function open(head, body = '') {
  const alice = newAccount('alice');
  const bob = newAccount('bob');
  const sessions = await makeContacts(stack.service, stack.domain, [alice, bob], unique('peer'));
  await sessions[0].x.stop();
  const peer = sessions[1].x;
  const inbox = [];
  peer.on('stanza', (s) => { if (s.is('message') && s.getChildText('body')) inbox.push(s.getChildText('body')); });
  await peer.send(xml('presence'));
  const account = `service="${esc(stack.service)}" jid="${esc(alice.jid)}" password="${esc(alice.password)}"`;
  const room = `${unique('board')}@conference.${stack.domain}`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}</head>
<body><div style="height:400px"><cc-chat mode="embedded" ${account} with="${esc(bob.jid)}"></cc-chat></div>
<cc-call ${account} with="${esc(bob.jid)}"></cc-call>
<div style="height:300px"><cc-whiteboard ${account} room="${esc(room)}"></cc-whiteboard></div>${body}</body></html>`;
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // A real file on the loopback server: Chromium lets only local pages open local sockets.
  const file = `${dir}/${unique('page')}.html`;
  writeFileSync(file, html);
  await page.goto(`${web.origin}/${file}`);
  return { page, errors, peer, inbox };
}

/** Every element upgraded and usable: a message goes out, the call and board UIs are live. */
async function assertWorks({ page, errors, peer, inbox }) {
  const text = `hello ${unique('m')}`;
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await until(() => inbox.includes(text), 'the message at the contact');
  await page.locator('cc-call').getByRole('button', { name: 'Audio call' }).and(page.locator(':enabled')).waitFor();
  await page.locator('cc-whiteboard').getByRole('button', { name: 'Pen' }).waitFor();
  const defined = await page.evaluate(() => ['cc-chat', 'cc-call', 'cc-whiteboard']
    .map((t) => [...document.querySelectorAll(t)].every((e) => e.shadowRoot && e instanceof /** @type {any} */ (customElements.get(t)))));
  assert.deepEqual(defined, [true, true, true]);
  assert.deepEqual(errors, []);
  await peer.stop();
  await page.context().close();
}

describe('loading dist/cc.js', () => {
  it('twice from the same URL and once more as a query variant', async () => {
    await assertWorks(await open(`<script type="module" src="/dist/cc.js"></script>
      <script type="module" src="/dist/cc.js"></script><script type="module" src="/dist/cc.js?again"></script>`));
  });

  it('from two separate copies of the bundle', async () => {
    const t = await open(`<script type="module" src="/dist/cc.js"></script><script type="module" src="/${copy}/cc.js"></script>`);
    await assertWorks(t);
  });

  it('after the tags are already in the page (script added after load)', async () => {
    const t = await open('', `<script>
      addEventListener('load', () => {
        window.definedBefore = ['cc-chat', 'cc-call', 'cc-whiteboard'].filter((t) => customElements.get(t));
        const s = document.createElement('script');
        s.type = 'module';
        s.src = '/dist/cc.js';
        document.head.append(s);
      });</script>`);
    assert.deepEqual(await t.page.waitForFunction(() => /** @type {any} */ (window).definedBefore).then((h) => h.jsonValue()), []);
    await assertWorks(t);
  });

  it('twice, the second copy after the first has upgraded everything', async () => {
    const t = await open('<script type="module" src="/dist/cc.js"></script>');
    await t.page.locator('cc-whiteboard').getByRole('button', { name: 'Pen' }).waitFor();
    await t.page.evaluate((src) => import(src), `/${copy}/cc.js`);
    await assertWorks(t);
  });
});
