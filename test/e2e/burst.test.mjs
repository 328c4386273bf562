// A fast stream of messages from a real client (Node, @xmpp/client) into cc-chat in Chromium,
// through the real server: every message must reach the screen, once, in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, openAs, rawClient, readConversation, shownBodies, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const N = 1000;
const text = (i) => `burst ${String(i).padStart(3, '0')}`;

describe('a burst of messages', () => {
  it('1,000 messages written back to back by another client are all shown, once each, in order', async (t) => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await openAs(browser, web.origin, alice, { mode: 'embedded', with: bob.jid }, { width: 800, height: 2000 });
    t.after(() => a.ctx.close());
    await a.page.getByRole('textbox', { name: 'Message' }).waitFor();
    await until(a.available, 'alice available');

    const { x, stop } = await rawClient(bob, { available: false });
    t.after(stop);
    // As a chat client writes them: ids, origin-ids and receipt requests, so alice answers each one.
    for (let i = 0; i < N; i++) {
      const id = unique('b');
      await x.send(xml('message', { to: alice.jid, type: 'chat', id },
        xml('body', {}, text(i)), xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id }), xml('request', { xmlns: 'urn:xmpp:receipts' })));
    }

    // The view follows the stream: the newest message comes into view without anyone scrolling.
    await until(async () => (await shownBodies(a.page)).includes(text(N - 1)), 'the last message in view', 60000);

    // Then read it all back, a screen at a time: each message once, in the order written.
    const rows = await readConversation(a.page);
    assert.deepEqual(rows.map((r) => r.t), Array.from({ length: N }, (_, i) => text(i)));
    assert.deepEqual(a.errors, []);
  });
});
