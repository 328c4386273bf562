// The composer: multi-line messages, a draft per conversation, and the emoji picker (its own chunk,
// loaded on first use from the widget's origin, inserting at the caret).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { befriend, launchBrowser, newAccount, openAs, startStaticServer, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;
const open = [];

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await Promise.all(open.map((o) => o.ctx.close().catch(() => {})));
  await browser?.close();
  await web?.close();
});

async function as(me, attrs) {
  const o = await openAs(browser, web.origin, me, attrs);
  open.push(o);
  return o;
}

/** Online and available: its initial presence is on the wire. */
const online = (o) => until(o.available, 'online');

describe('composer', () => {
  it('Shift+Enter breaks the line and the box grows; Enter sends both lines as one message', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    const b = await as(bob, { mode: 'embedded', with: alice.jid });
    await Promise.all([online(a), online(b)]);
    const box = a.page.getByRole('textbox', { name: 'Message' });
    const before = (await box.boundingBox()).height;
    await box.pressSequentially('line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('line two');
    await box.press('Shift+Enter');
    await box.pressSequentially('line three');
    assert.ok((await box.boundingBox()).height > before, 'the box grew');
    await box.press('Enter');
    const body = b.page.locator('cc-chat-view .msg .body').filter({ hasText: 'line one' });
    await body.waitFor();
    assert.equal(await body.textContent(), 'line one\nline two\nline three');
    assert.equal(await box.inputValue(), '');
  });

  it('keeps a draft per conversation across switching', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const carol = newAccount('carol');
    await befriend(alice, bob, carol);
    const a = await as(alice, { mode: 'embedded' });
    const box = a.page.getByRole('textbox', { name: 'Message' });
    const openChat = async (who) => {
      await a.page.getByRole('option', { name: who.user }).click();
      await a.page.locator('cc-chat-view header .name').getByText(who.user, { exact: true }).waitFor();
    };
    await openChat(bob);
    await box.fill('half a thought for bob');
    await a.page.getByRole('button', { name: 'Back' }).click();
    await openChat(carol);
    assert.equal(await box.inputValue(), '');
    await box.fill('for carol');
    await a.page.getByRole('button', { name: 'Back' }).click();
    await openChat(bob);
    await until(async () => (await box.inputValue()) === 'half a thought for bob', 'bob’s draft back');
    await a.page.getByRole('button', { name: 'Back' }).click();
    await openChat(carol);
    await until(async () => (await box.inputValue()) === 'for carol', 'carol’s draft back');
  });

  it('Emoji loads the picker only when asked, from the widget’s origin, and inserts at the caret', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    // Everything the page fetched since it started.
    const fetched = () => a.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => /emoji|\.json/.test(u)));
    await online(a);
    const box = a.page.getByRole('textbox', { name: 'Message' });
    await box.fill('ab');
    await box.press('ArrowLeft');
    assert.deepEqual(await fetched(), [], 'nothing of the picker before it is asked for');

    await a.page.getByRole('button', { name: 'Emoji' }).click();
    const picker = a.page.getByRole('dialog', { name: 'Choose an emoji' });
    await picker.getByRole('combobox').fill('grinning');
    await picker.getByRole('option', { name: /^😀, grinning face/ }).click();
    await until(async () => (await box.inputValue()) === 'a😀b', 'the emoji between a and b');
    assert.equal(await picker.count(), 0, 'the picker closed');
    const loaded = await fetched();
    assert.ok(loaded.some((u) => /\/dist\/chunks\/emoji-picker-[\w-]+\.js$/.test(u)), loaded.join(' '));
    assert.ok(loaded.some((u) => /\/dist\/assets\/data-[\w-]+\.json$/.test(u)), `the emoji data ships with the widget: ${loaded.join(' ')}`);
    assert.ok(loaded.every((u) => u.startsWith(web.origin)), `only the widget's origin: ${loaded.join(' ')}`);
    // Typing goes on where the emoji went in.
    await box.press('x');
    assert.equal(await box.inputValue(), 'a😀xb');
  });
});
