// Two users in two isolated browser contexts, through the built dist/cc.js, against real Prosody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { befriend, chatOnline, launchBrowser, newAccount, pageUrl, shownBodies, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

/** Opens a page (own context = own cookies, storage and session) for `me` chatting with `peer`. */
async function openChat(me, peer) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(pageUrl(web.origin, { mode: 'embedded', service: stack.service, jid: me.jid, password: me.password, with: peer.jid }));
  return { ctx, page, errors };
}

const bodies = (page) => shownBodies(page);

describe('cc-chat between two browser contexts', () => {
  it('alice and bob exchange messages; both lists agree on content and order', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await openChat(alice, bob);
    const b = await openChat(bob, alice);

    // The element is driven by its accessible names only, as a user would.
    const first = `hi bob ${unique('m')}`;
    await a.page.getByRole('textbox', { name: 'Message' }).fill(first);
    await a.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await b.page.locator('cc-chat-view').getByText(first).waitFor();

    await b.page.getByRole('textbox', { name: 'Message' }).fill('hello alice');
    await b.page.getByRole('button', { name: 'Send' }).click();
    await a.page.locator('cc-chat-view').getByText('hello alice').waitFor();

    assert.deepEqual(await bodies(a.page), [first, 'hello alice']);
    assert.deepEqual(await bodies(b.page), [first, 'hello alice']);
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it('after a reload, earlier messages come back from the archive once each, in order', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await openChat(alice, bob);
    const b = await openChat(bob, alice);
    const sent = [];
    for (let i = 0; i < 5; i++) {
      const text = `message ${i} ${unique('m')}`;
      sent.push(text);
      const page = i % 2 ? b.page : a.page;
      await page.getByRole('textbox', { name: 'Message' }).fill(text);
      await page.getByRole('textbox', { name: 'Message' }).press('Enter');
      await (i % 2 ? a.page : b.page).locator('cc-chat-view').getByText(text).waitFor();
    }
    await b.page.reload();
    await b.page.locator('cc-chat-view').getByText(sent.at(-1)).waitFor();
    assert.deepEqual(await bodies(b.page), sent);
    // A reload may show them from this browser's cache and the resumed stream; a new browser (no
    // cache, no stream to resume) has only the archive. Once online they show once each, and stay so.
    const fresh = await openChat(bob, alice);
    await until(async () => JSON.stringify(await bodies(fresh.page)) === JSON.stringify(sent), 'the archive’s messages in a new browser');
    await chatOnline(fresh.page);
    assert.deepEqual(await bodies(fresh.page), sent);
    assert.deepEqual(fresh.errors, []);
    await Promise.all([a.ctx.close(), b.ctx.close(), fresh.ctx.close()]);
  });

  it('a page with only dist/cc.js and attributes logs in and shows the conversation', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await openChat(alice, bob);
    // The header names the peer (by its local part, as the roster has no name for it).
    await a.page.locator('cc-chat header .name').getByText(bob.user, { exact: true }).waitFor();
    const ready = await a.page.evaluate(() => customElements.get('cc-chat') !== undefined);
    assert.equal(ready, true);
    const scripts = await a.page.evaluate(() => [...document.scripts].map((s) => s.src || 'inline'));
    assert.deepEqual(scripts, [`${web.origin}/dist/cc.js`]);
    await a.ctx.close();
  });
});
