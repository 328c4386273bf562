// cc-chat in the page's language, with its strings loaded as a separate chunk.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { befriend, launchBrowser, newAccount, openAs, pageUrl, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

describe('cc-chat in another language', () => {
  it('lang="de": German names and texts; English pages never load the catalog', async () => {
    const alice = newAccount('alice');
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    /** @type {string[]} */
    const catalogs = [];
    page.on('request', (r) => { if (/\/chunks\/(ar|de|el|es|fr|ja|pt|ru|uk|zh)-[\w-]{8}\.js$/.test(r.url())) catalogs.push(r.url()); });
    await page.goto(pageUrl(web.origin, { service: stack.service, jid: alice.jid, password: alice.password, lang: 'de' }));
    await page.getByRole('button', { name: 'Chat öffnen' }).click();
    await page.getByRole('listbox', { name: 'Unterhaltungen' }).waitFor();
    await page.getByRole('button', { name: 'Neuer Chat' }).click();
    await page.getByRole('textbox', { name: 'Raumname' }).waitFor();
    assert.equal(catalogs.length, 1, 'the German strings came as their own chunk');

    await page.goto(pageUrl(web.origin, { service: stack.service, jid: alice.jid, password: alice.password }));
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('listbox', { name: 'Conversations' }).waitFor();
    assert.equal(catalogs.length, 1);
    await ctx.close();
  });

  it('lang="ja": the Japanese strings come as their own chunk', async () => {
    const alice = newAccount('alice');
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    /** @type {string[]} */
    const catalogs = [];
    page.on('request', (r) => { if (/\/chunks\/(ar|de|el|es|fr|ja|pt|ru|uk|zh)-[\w-]{8}\.js$/.test(r.url())) catalogs.push(new URL(r.url()).pathname); });
    /** @type {Error[]} */
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(pageUrl(web.origin, { service: stack.service, jid: alice.jid, password: alice.password, lang: 'ja' }));
    await page.getByRole('button', { name: 'チャットを開く' }).click();
    await page.getByRole('listbox', { name: '会話' }).waitFor();
    assert.equal(catalogs.length, 1);
    assert.match(catalogs[0], /\/chunks\/ja-/);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  it('lang="de": the conversation, the composer, message actions and delivery state in German', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await openAs(browser, web.origin, alice, { mode: 'split', lang: 'de' });
    const b = await openAs(browser, web.origin, bob, { mode: 'embedded', with: alice.jid });
    await Promise.all([until(a.available, 'alice available'), until(b.available, 'bob available')]);

    await a.page.getByRole('listbox', { name: 'Unterhaltungen' }).getByRole('option', { name: bob.user }).click();
    await a.page.getByRole('log', { name: 'Nachrichten' }).waitFor();
    const box = a.page.getByRole('textbox', { name: 'Nachricht' });
    assert.equal(await box.getAttribute('placeholder'), 'Nachricht schreiben …');
    await box.fill('Hallo Bob');
    await a.page.getByRole('button', { name: 'Senden' }).click();
    await b.page.locator('cc-chat-view .msg.in').filter({ hasText: 'Hallo Bob' }).waitFor();

    const mine = a.page.locator('cc-chat-view .msg.out').filter({ hasText: 'Hallo Bob' });
    // Bob's client confirms receipt (XEP-0184): the state line says so in German.
    await mine.locator('.state').filter({ hasText: /^(Zugestellt|Gelesen)$/ }).waitFor();
    await mine.focus();
    const actions = mine.getByRole('toolbar', { name: 'Nachrichtenaktionen' });
    for (const name of ['Reagieren', 'Antworten', 'Bearbeiten', 'Löschen']) await actions.getByRole('button', { name, exact: true }).waitFor();
    await actions.getByRole('button', { name: 'Antworten' }).click();
    await a.page.getByText(/^Antwort an .+: Hallo Bob$/).waitFor();
    await a.page.getByRole('button', { name: 'Abbrechen' }).click();
    await mine.focus();
    await actions.getByRole('button', { name: 'Löschen' }).click();
    await a.page.getByRole('dialog', { name: 'Diese Nachricht für alle löschen?' }).waitFor();
    assert.equal(await a.page.getByRole('button', { name: 'Send', exact: true }).count(), 0, 'no English left on the send button');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it('lang="de": room events, which the core words in English, in German', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const room = `${unique('de')}@conference.${stack.domain}`.toLowerCase();
    const a = await openAs(browser, web.origin, alice, { mode: 'embedded', room, lang: 'de' });
    await a.page.locator('cc-chat-view header .subject').getByText(/im Raum/).waitFor();
    const b = await openAs(browser, web.origin, bob, { mode: 'embedded', room });
    const events = a.page.locator('cc-chat-view .system');
    await events.getByText(`${bob.user} ist beigetreten`, { exact: true }).waitFor();
    await b.page.getByRole('button', { name: 'Occupants' }).click();
    await b.page.getByRole('button', { name: 'Leave room' }).click();
    await events.getByText(`${bob.user} hat den Raum verlassen`, { exact: true }).waitFor();
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it('lang="ar" without dir: Arabic strings and a right-to-left layout', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await openAs(browser, web.origin, alice, { mode: 'split', lang: 'ar' });
    const b = await openAs(browser, web.origin, bob, { mode: 'embedded', with: alice.jid });
    await Promise.all([until(a.available, 'alice available'), until(b.available, 'bob available')]);

    const list = a.page.getByRole('listbox', { name: 'المحادثات' });
    await list.getByRole('option', { name: bob.user }).click();
    const textbox = a.page.getByRole('textbox', { name: 'رسالة' });
    await textbox.fill('مرحبا from alice');
    await a.page.getByRole('button', { name: 'إرسال' }).click();
    const bobBox = b.page.getByRole('textbox', { name: 'Message' });
    await bobBox.fill('hello from bob');
    await bobBox.press('Enter');

    const dir = await a.page.evaluate(() => {
      const host = /** @type {HTMLElement} */ (document.querySelector('cc-chat'));
      const panel = /** @type {HTMLElement} */ (host.shadowRoot?.querySelector('.panel'));
      return { attr: host.getAttribute('dir'), page: getComputedStyle(document.body).direction, panel: getComputedStyle(panel).direction };
    });
    assert.deepEqual(dir, { attr: null, page: 'ltr', panel: 'rtl' }, 'the page stays ltr; the widget lays out rtl, with no dir set on it');

    const log = a.page.locator('cc-chat-view .log');
    const mine = a.page.locator('cc-chat-view .msg.out').filter({ hasText: 'from alice' });
    const theirs = a.page.locator('cc-chat-view .msg.in').filter({ hasText: 'hello from bob' });
    await theirs.waitFor();
    const [l, m, t] = await Promise.all([box(log), box(mine), box(theirs)]);
    const middle = l.x + l.width / 2;
    assert.ok(m.x + m.width / 2 < middle, 'own message on the left');
    assert.ok(t.x + t.width / 2 > middle, 'their message on the right');
    const [send, text] = await Promise.all([box(a.page.getByRole('button', { name: 'إرسال' })), box(textbox)]);
    assert.ok(send.x + send.width <= text.x + 1, 'Send at the left end of the composer');
    assert.ok((await box(list)).x > l.x, 'list on the right of the conversation');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });
});

const box = (/** @type {import('playwright-core').Locator} */ l) => l.boundingBox().then((b) => { assert.ok(b); return b; });
