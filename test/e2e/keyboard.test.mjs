// Keyboard only, as someone who cannot use a mouse: open the launcher, pick a conversation with the
// arrow keys, send, react to a message, and close with Escape, focus going back to the launcher.
// No clicks and no programmatic focus: every step is a key press, and each checks where focus is.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, openAs, rawClient, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;
const cleanup = [];

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  await browser?.close();
  await web?.close();
});

/** The focused element, through shadow roots: its role (explicit or implied), name and text. */
const focused = (/** @type {import('playwright-core').Page} */ page) => page.evaluate(() => {
  /** @type {Element | null} */ let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  if (!el) return null;
  const role = el.getAttribute('role') ?? ({ BUTTON: 'button', TEXTAREA: 'textbox', SELECT: 'combobox' })[el.tagName] ?? el.tagName.toLowerCase();
  return { role, name: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '', text: el.textContent?.trim() ?? '', cls: el.getAttribute('class') ?? '' };
});

/** Presses `key` until the focused element satisfies `want` (at most `max` presses). */
async function pressUntil(page, key, want, what, max = 30) {
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if (f && want(f)) return f;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${what}; focus is on ${JSON.stringify(await focused(page))}`);
}

describe('keyboard only', () => {
  it('open, pick a conversation with arrows, send, react, close with Escape', async () => {
    const [alice, bob, carol] = [newAccount('alice'), newAccount('bob'), newAccount('carol')];
    await befriend(alice, bob);
    await befriend(alice, carol);
    const { x, got, stop } = await rawClient(bob);
    cleanup.push(stop);

    const a = await openAs(browser, web.origin, alice, {});
    cleanup.push(() => a.ctx.close());
    const p = a.page;
    await until(() => a.available(), 'alice online');
    await x.send(xml('message', { to: alice.jid, type: 'chat', id: unique('m') }, xml('body', {}, 'react to me')));
    await until(async () => (await p.evaluate(() => document.querySelector('cc-chat')?.shadowRoot?.querySelector('.badge')?.textContent)) === '1', 'the unread badge');

    await pressUntil(p, 'Tab', (f) => f.name === 'Open chat', 'the launcher', 3);
    await p.keyboard.press('Enter');
    await p.getByRole('dialog', { name: 'Chat' }).waitFor();
    await p.getByRole('option', { name: bob.user }).waitFor();
    await p.getByRole('option', { name: carol.user }).waitFor();
    await pressUntil(p, 'Tab', (f) => f.role === 'option', 'the conversation list');
    // Down and up the list to bob.
    const first = await focused(p);
    await p.keyboard.press('ArrowDown');
    assert.notEqual((await focused(p))?.name, first?.name, 'ArrowDown moved');
    await pressUntil(p, 'ArrowUp', (f) => f.role === 'option' && f.name === bob.user, 'bob', 3);
    await p.keyboard.press('Enter');
    await p.locator('cc-chat-view header .name').getByText(bob.user).waitFor();
    await until(async () => (await focused(p))?.name === 'Message', 'focus in the composer');

    await p.keyboard.type('sent by keyboard');
    await p.keyboard.press('Enter');
    await p.locator('cc-chat-view .msg.out').getByText('sent by keyboard').waitFor();
    await until(() => got.some((s) => s.getChildText('body') === 'sent by keyboard'), 'the message at bob');

    // Back to the log, up to bob's message, into its toolbar: React, then the first quick reaction.
    await pressUntil(p, 'Shift+Tab', (f) => f.role === 'log', 'the message log');
    await pressUntil(p, 'ArrowUp', (f) => f.cls.includes('msg') && f.text.includes('react to me'), 'bob\'s message', 5);
    await pressUntil(p, 'Tab', (f) => f.name === 'React', 'React', 3);
    await p.keyboard.press('Enter');
    await p.getByRole('dialog', { name: 'Reactions' }).waitFor();
    assert.equal((await focused(p))?.name, '👍', 'focus on the first reaction');
    await p.keyboard.press('Enter');
    await p.locator('cc-chat-view .chip[aria-pressed="true"]').getByText('👍 1').waitFor();
    await until(() => got.some((s) => s.getChild('reactions', 'urn:xmpp:reactions:0')?.getChildText('reaction') === '👍'), 'the reaction at bob');
    await until(async () => (await focused(p))?.name === 'React', 'focus back on React');

    // Escape: from the message to the composer, from the composer out of the panel to the launcher.
    await p.keyboard.press('Escape');
    await until(async () => (await focused(p))?.name === 'Message', 'focus in the composer');
    await p.keyboard.press('Escape');
    await p.getByRole('dialog', { name: 'Chat' }).waitFor({ state: 'hidden' });
    await until(async () => (await focused(p))?.name === 'Open chat', 'focus back on the launcher');
    assert.deepEqual(a.errors, []);
  });
});
