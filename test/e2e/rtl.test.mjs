// cc-chat in a right-to-left page: the layout mirrors (own messages on the left, the send button
// at the left end of the composer, presence dots at the avatar's left), text keeps its direction.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { befriend, launchBrowser, newAccount, openAs, startStaticServer, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const box = (/** @type {import('playwright-core').Locator} */ l) => l.boundingBox().then((b) => { assert.ok(b); return b; });

describe('cc-chat with dir="rtl"', () => {
  it('mirrors the conversation, the composer and the list', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await openAs(browser, web.origin, alice, { mode: 'split', dir: 'rtl' });
    const b = await openAs(browser, web.origin, bob, { mode: 'embedded', with: alice.jid });
    await Promise.all([until(a.available, 'alice available'), until(b.available, 'bob available')]);

    const option = a.page.getByRole('option', { name: bob.user });
    await option.click();
    const log = a.page.locator('cc-chat-view .log');
    const textbox = a.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('שלום, from alice');
    await textbox.press('Enter');
    const bobBox = b.page.getByRole('textbox', { name: 'Message' });
    await bobBox.fill('hello from bob');
    await bobBox.press('Enter');

    const mine = a.page.locator('cc-chat-view .msg.out').filter({ hasText: 'from alice' });
    const theirs = a.page.locator('cc-chat-view .msg.in').filter({ hasText: 'hello from bob' });
    await theirs.waitFor();
    const [l, m, t] = await Promise.all([box(log), box(mine), box(theirs)]);
    const middle = l.x + l.width / 2;
    assert.ok(m.x + m.width / 2 < middle, 'own message on the left');
    assert.ok(t.x + t.width / 2 > middle, 'their message on the right');

    const [send, text] = await Promise.all([box(a.page.getByRole('button', { name: 'Send' })), box(textbox)]);
    assert.ok(send.x + send.width <= text.x + 1, 'Send at the left end of the composer');

    // Split view: the list on the right, the conversation on the left.
    const list = await box(a.page.getByRole('listbox', { name: 'Conversations' }));
    assert.ok(list.x > l.x, 'list on the right of the conversation');
    const [dot, pic] = await Promise.all([box(option.locator('.pic .dot')), box(option.locator('.pic'))]);
    assert.ok(dot.x < pic.x + pic.width / 2, 'presence dot at the avatar’s left');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });
});
