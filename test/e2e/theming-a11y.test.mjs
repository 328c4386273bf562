// Styling cc-chat from the page through its documented ::part() names (nested shadow roots export
// them), and the live region that announces new messages to screen readers, rate-limited in bursts.
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

async function peer(account) {
  const { x, stop } = await rawClient(account, { available: false });
  cleanup.push(stop);
  return (to, text) => x.send(xml('message', { to, type: 'chat', id: unique('m') }, xml('body', {}, text)));
}

/** The computed `prop` of the first element matching the selector path (one selector per shadow root). */
const styleOf = (page, path, prop) => page.evaluate(([path, prop]) => {
  /** @type {Element | null | undefined} */ let el = document.querySelector('cc-chat');
  for (const s of path) el = el?.shadowRoot?.querySelector(s);
  return el ? getComputedStyle(el).getPropertyValue(prop) : 'missing';
}, [path, prop]);

describe('theming and announcements', () => {
  it('the page styles documented parts inside nested shadow roots with ::part()', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const a = await openAs(browser, web.origin, alice, { mode: 'split' });
    cleanup.push(() => a.ctx.close());
    await a.page.addStyleTag({ content: `
      cc-chat::part(conversation-list) { background-color: rgb(1, 2, 3); }
      cc-chat::part(header) { background-color: rgb(4, 5, 6); }
      cc-chat::part(log) { background-color: rgb(7, 8, 9); }
      cc-chat::part(message) { outline: 3px solid rgb(10, 11, 12); }
      cc-chat::part(composer) { background-color: rgb(13, 14, 15); }
      cc-chat::part(avatar) { border-radius: 3px; }
      cc-chat::part(profile) { background-color: rgb(16, 17, 18); }` });
    await a.page.getByRole('option', { name: bob.user }).click();
    const box = a.page.getByRole('textbox', { name: 'Message' });
    await box.fill('styled from the page');
    await box.press('Enter');
    await a.page.locator('cc-chat-view .msg').getByText('styled from the page').waitFor();
    assert.equal(await styleOf(a.page, ['cc-chat-list', 'ul'], 'background-color'), 'rgb(1, 2, 3)');
    assert.equal(await styleOf(a.page, ['cc-chat-view', 'header'], 'background-color'), 'rgb(4, 5, 6)');
    assert.equal(await styleOf(a.page, ['cc-chat-view', '.log'], 'background-color'), 'rgb(7, 8, 9)');
    assert.equal(await styleOf(a.page, ['cc-chat-view', '.msg'], 'outline-color'), 'rgb(10, 11, 12)');
    assert.equal(await styleOf(a.page, ['cc-chat-view', 'cc-chat-composer', 'form'], 'background-color'), 'rgb(13, 14, 15)');
    assert.equal(await styleOf(a.page, ['cc-chat-view', 'header .avatar'], 'border-top-left-radius'), '3px');
    await a.page.getByRole('button', { name: 'Contact info' }).click();
    await a.page.getByRole('dialog', { name: 'Contact info' }).waitFor();
    assert.equal(await styleOf(a.page, ['cc-profile-card', '.card'], 'background-color'), 'rgb(16, 17, 18)');
    // Parts that are not exported stay out of reach: the page cannot style the composer's text box.
    await a.page.addStyleTag({ content: 'cc-chat::part(textarea), cc-chat textarea { background-color: rgb(99, 0, 0) !important; }' });
    assert.notEqual(await styleOf(a.page, ['cc-chat-view', 'cc-chat-composer', 'textarea'], 'background-color'), 'rgb(99, 0, 0)');
    assert.deepEqual(a.errors, []);
  });

  it('new messages are announced in a polite live region, a burst as one summary', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const a = await openAs(browser, web.origin, alice, {});
    cleanup.push(() => a.ctx.close());
    const live = a.page.locator('cc-chat .live');
    assert.equal(await live.getAttribute('aria-live'), 'polite');
    await until(() => a.available(), 'alice online');
    // Every text the region takes, as a screen reader would be told.
    await a.page.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.said = [];
      const region = document.querySelector('cc-chat').shadowRoot.querySelector('.live');
      new MutationObserver(() => w.said.push(region.textContent.trim())).observe(region, { childList: true, subtree: true, characterData: true });
    });
    const say = await peer(bob);
    await say(alice.jid, 'hello there');
    await until(async () => (await live.textContent())?.includes('hello there'), 'the message announced');
    assert.match(await live.textContent(), new RegExp(`^New message from ${bob.user}: hello there$`));

    for (let i = 1; i <= 10; i++) await say(alice.jid, `burst ${i}`);
    await until(async () => (await live.textContent())?.includes('burst 10'), 'the end of the burst announced');
    const said = (await a.page.evaluate(() => /** @type {any} */ (window).said)).filter((s) => s.includes('burst'));
    assert.ok(said.length < 5, `a burst of 10 is a few announcements, not 10: ${JSON.stringify(said)}`);
    assert.match(said.at(-1), new RegExp(`^\\d+ new messages\\. The last from ${bob.user}: burst 10$`));
    assert.deepEqual(a.errors, []);
  });
});
