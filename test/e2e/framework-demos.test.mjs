// The framework demos (demo/frameworks/), built in one Vite run from the npm package's entry points,
// each opened in Chromium against the test Prosody: the framework binds the element's attributes and
// renders what its cc-* event listeners receive; one message goes each way.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { makeContacts } from '../../server/contacts.mjs';
import { launchBrowser, newAccount, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '-c', 'demo/frameworks/vite.config.ts'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `demo build failed:\n${build.stdout}\n${build.stderr}`);
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const DEMOS = {
  'plain HTML': 'demo/frameworks/html/index.html',
  'React 19': 'demo/frameworks/dist/react/index.html',
  'Vue 3': 'demo/frameworks/dist/vue/index.html',
  'Svelte 5': 'demo/frameworks/dist/svelte/index.html',
  Angular: 'demo/frameworks/dist/angular/index.html',
};

describe('framework demos', () => {
  for (const [name, path] of Object.entries(DEMOS)) {
    it(`${name}: attributes bound, cc-* events handled, one message each way`, async () => {
      const alice = newAccount('alice');
      const bob = newAccount('bob');
      const carol = newAccount('carol');
      const sessions = await makeContacts(stack.service, stack.domain, [alice, bob, carol], unique('peer'));
      const peer = sessions[1].x;
      await Promise.all([sessions[0].x.stop(), sessions[2].x.stop()]);
      const inbox = [];
      peer.on('stanza', (s) => { if (s.is('message') && s.getChildText('body')) inbox.push(s); });
      const seen = new Set();
      peer.on('stanza', (s) => { if (s.is('presence') && !s.attrs.type) seen.add(String(s.attrs.from).split('/')[0]); });
      await peer.send(xml('presence'));

      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      const q = new URLSearchParams({ service: stack.service, jid: alice.jid, password: alice.password, with: bob.jid });
      await page.goto(`${web.origin}/${path}?${q}`);

      // The framework rendered the state its cc-connection-change listener received.
      await page.getByRole('status').getByText('online', { exact: true }).waitFor({ timeout: 20000 });
      const text = `hello from ${name} ${unique('m')}`;
      await page.getByRole('textbox', { name: 'Message' }).fill(text);
      await page.getByRole('textbox', { name: 'Message' }).press('Enter');
      const got = await until(() => inbox.find((s) => s.getChildText('body') === text), 'the message at the peer');
      assert.equal(got.attrs.from.split('/')[0], alice.jid);

      // cc-message is for what arrives live: the reply waits until the server routes to alice's
      // page (its presence), as the test server keeps no offline store.
      await until(() => seen.has(alice.jid), 'alice’s presence at the peer');
      const reply = `reply to ${name} ${unique('m')}`;
      await peer.send(xml('message', { to: alice.jid, type: 'chat', id: unique('r') }, xml('body', {}, reply)));
      await page.locator('cc-chat-view .msg .body').getByText(reply, { exact: true }).waitFor();
      // …and the framework rendered what its cc-message listener received.
      await page.getByRole('list', { name: 'Received' }).getByText(`${bob.jid}: ${reply}`).waitFor();

      if (name !== 'plain HTML') {
        // A framework binding changes the element's `with`: the conversation follows.
        await page.getByLabel('Talk to').fill(carol.jid);
        await page.locator('cc-chat header .name').getByText(carol.user, { exact: true }).waitFor();
      }
      assert.deepEqual(errors, []);
      await peer.stop();
      await ctx.close();
    });
  }
});
