// Sound and browser notifications for new messages, per-conversation and global mute — cc-chat in
// Chromium against real Prosody, messages from real clients.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, pageUrl, rawClient, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

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

/** Records notifications and chimes the page makes, and lets the test hide the page. */
function instrument() {
  const w = /** @type {any} */ (window);
  w.ccNotes = [];
  w.ccChimes = 0;
  w.ccMessages = [];
  document.addEventListener('cc-message', (e) => w.ccMessages.push(/** @type {CustomEvent} */ (e).detail.text));
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(/** @type {string} */ title, /** @type {NotificationOptions} */ o) {
      super(title, o);
      w.ccNotes.push({ title, body: o?.body, tag: o?.tag });
      w.ccLastNote = this;
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Recorded.requestPermission = Real.requestPermission.bind(Real);
  w.Notification = Recorded;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...a) { w.ccChimes++; return start.apply(this, a); };
  // Headless pages are always "visible"; the test switches what the page reports, as a tab switch would.
  w.ccSetHidden = (/** @type {boolean} */ hidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  };
}

async function openAlice(alice, attrs, { grant = true } = {}) {
  const ctx = await browser.newContext();
  cleanup.push(() => ctx.close());
  if (grant) await ctx.grantPermissions(['notifications'], { origin: web.origin });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  // Messages reach the page live only after its initial presence (the roster shows before it, and
  // the test server keeps no offline store: one sent earlier would only be archived).
  let available = false;
  page.on('websocket', (ws) => ws.on('framesent', (f) => {
    if (typeof f.payload === 'string' && /^<presence\b(?![^>]*\s(?:to|type)=)/.test(f.payload)) available = true;
  }));
  await page.addInitScript(instrument);
  await page.goto(pageUrl(web.origin, { service: stack.service, jid: alice.jid, password: alice.password, ...attrs }));
  await until(() => available, 'alice online');
  return { page, errors };
}

async function sender(account) {
  const { x, got, stop } = await rawClient(account);
  cleanup.push(stop);
  const send = (/** @type {string} */ to, /** @type {string} */ text) => x.send(xml('message', { to, type: 'chat', id: unique('m') }, xml('body', {}, text)));
  // The page sent its presence, but the server may not have taken it yet (another connection): a
  // contact's client gets it once it has, and only then does a message reach the page live.
  send.sees = (/** @type {string} */ jid) => until(() => got.some((s) => s.is('presence') && !s.attrs.type && String(s.attrs.from ?? '').startsWith(`${jid}/`)), `${account.user} to see ${jid} online`);
  return send;
}

const notes = (page) => page.evaluate(() => /** @type {any} */ (window).ccNotes);
const chimes = (page) => page.evaluate(() => /** @type {any} */ (window).ccChimes);
/** The page has handled an incoming `text` (alerts run in the same dispatch as cc-message). */
const arrived = (page, text) => until(() => page.evaluate((t) => /** @type {any} */ (window).ccMessages.includes(t), text), `"${text}" to arrive`);

describe('new-message alerts', () => {
  it('hidden page: a notification per conversation that opens it; muted conversations and `muted` stay silent', async () => {
    const [alice, bob, carol] = [newAccount('alice'), newAccount('bob'), newAccount('carol')];
    await befriend(alice, bob, carol);
    const a = await openAlice(alice, { mode: 'embedded', notifications: '' });
    await a.page.getByRole('option', { name: bob.user }).waitFor();
    const fromBob = await sender(bob);
    const fromCarol = await sender(carol);
    await Promise.all([fromBob.sees(alice.jid), fromCarol.sees(alice.jid)]);
    await a.page.evaluate(() => /** @type {any} */ (window).ccSetHidden(true));

    await fromBob(alice.jid, 'are you there?');
    await until(async () => (await notes(a.page)).length === 1, 'a notification');
    assert.deepEqual(await notes(a.page), [{ title: bob.user, body: 'are you there?', tag: `cc:${bob.jid}` }]);
    assert.ok((await chimes(a.page)) > 0, 'a chime');

    // Back on the page, the notification's click opens bob's conversation.
    await a.page.evaluate(() => { const w = /** @type {any} */ (window); w.ccSetHidden(false); w.ccLastNote.onclick(); });
    await a.page.locator('cc-chat-view header .name').getByText(bob.user).waitFor();

    // Bob's conversation muted: his next message makes no sound and no notification; carol's does.
    await a.page.getByRole('button', { name: 'Mute conversation' }).click();
    await a.page.getByRole('button', { name: 'Unmute conversation' }).waitFor();
    await a.page.evaluate(() => /** @type {any} */ (window).ccSetHidden(true));
    const before = await chimes(a.page);
    await fromBob(alice.jid, 'muted one');
    await arrived(a.page, 'muted one');
    await fromCarol(alice.jid, 'hello from carol');
    await until(async () => (await notes(a.page)).length === 2, 'carol\'s notification');
    assert.equal((await notes(a.page))[1].title, carol.user);
    assert.ok((await chimes(a.page)) > before, 'carol chimed');

    // Globally muted: nothing at all.
    await a.page.evaluate(() => document.querySelector('cc-chat')?.setAttribute('muted', ''));
    const chimed = await chimes(a.page);
    await fromCarol(alice.jid, 'silent now');
    await arrived(a.page, 'silent now');
    assert.equal((await notes(a.page)).length, 2);
    assert.equal(await chimes(a.page), chimed);
    assert.deepEqual(a.errors, []);
  });

  it('the mute survives a reload; an open conversation on a visible page does not alert', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const a = await openAlice(alice, { mode: 'embedded', notifications: '', with: bob.jid });
    const fromBob = await sender(bob);
    await fromBob.sees(alice.jid);
    await fromBob(alice.jid, 'visible and open');
    await a.page.locator('cc-chat-view').getByText('visible and open').waitFor();
    assert.equal(await chimes(a.page), 0);
    assert.deepEqual(await notes(a.page), []);

    await a.page.getByRole('button', { name: 'Mute conversation' }).click();
    await a.page.reload();
    await a.page.getByRole('button', { name: 'Unmute conversation' }).waitFor();
    assert.deepEqual(a.errors, []);
  });

  it('asks for permission only through a button', async () => {
    const alice = newAccount('alice');
    const a = await openAlice(alice, { mode: 'embedded', notifications: '' }, { grant: false });
    await a.page.getByRole('button', { name: 'Allow notifications' }).waitFor();
    const b = await openAlice(alice, { mode: 'embedded' }, { grant: false });
    await b.page.getByRole('listbox', { name: 'Conversations' }).waitFor();
    assert.equal(await b.page.getByRole('button', { name: 'Allow notifications' }).count(), 0);
  });
});
