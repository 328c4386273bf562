// cc-chat as a messenger: contacts, presence, rooms, history paging, receipts, markers, unread,
// typing, carbons and modes — several users in isolated browser contexts, real Prosody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, openAs, rawClient, shownBodies, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

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

async function as(me, attrs, viewport) {
  const o = await openAs(browser, web.origin, me, attrs, viewport);
  open.push(o);
  return o;
}

const say = async (page, text) => {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
};

describe('contacts and presence', () => {
  it('a contact request is accepted; both see each other online; away shows as away', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const a = await as(alice, { mode: 'embedded' });
    const b = await as(bob, { mode: 'embedded' });
    await a.page.getByRole('button', { name: 'New chat' }).click();
    await a.page.getByRole('textbox', { name: 'Address' }).fill(bob.jid);
    await a.page.getByRole('button', { name: 'Start chat' }).click();

    await b.page.getByText(`${alice.jid} wants to add you as a contact`).waitFor();
    await b.page.getByRole('button', { name: 'Accept' }).click();
    // Alice's conversation header shows bob online; bob's list shows alice with an online dot.
    await a.page.locator('cc-chat-view .presence').getByText('online', { exact: true }).waitFor();
    await b.page.locator(`li[data-jid="${alice.jid}"] .dot[data-show="available"]`).waitFor();

    await b.page.getByRole('combobox', { name: 'Status' }).selectOption('away');
    await a.page.locator('cc-chat-view .presence').getByText('away', { exact: true }).waitFor();
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});

describe('group rooms', () => {
  it('alice creates a room, invites bob and carol; all talk; the subject shows for all; carol leaves', async () => {
    const [alice, bob, carol] = [newAccount('alice'), newAccount('bob'), newAccount('carol')];
    const a = await as(alice, { mode: 'embedded' });
    const b = await as(bob, { mode: 'embedded' });
    const c = await as(carol, { mode: 'embedded' });
    // No offline store on the test server: the invitations need bob and carol online.
    await until(() => b.available() && c.available(), 'bob and carol online');
    const roomName = `Team ${unique('r')}`;
    await a.page.getByRole('button', { name: 'New chat' }).click();
    await a.page.getByRole('textbox', { name: 'Room name' }).fill(roomName);
    await a.page.getByRole('checkbox', { name: 'Members only' }).check();
    await a.page.getByRole('textbox', { name: 'Invite' }).fill(`${bob.jid}, ${carol.jid}`);
    await a.page.getByRole('button', { name: 'Create room' }).click();
    await a.page.locator('cc-chat-view header .name').getByText(roomName).waitFor();

    for (const p of [b.page, c.page]) {
      await p.getByRole('group', { name: /Invitation to/ }).getByRole('button', { name: 'Join' }).click();
      await p.locator('cc-chat-view header .name').getByText(roomName).waitFor();
    }
    await say(a.page, 'hello team');
    await say(b.page, 'hi from bob');
    await say(c.page, 'carol here');
    for (const p of [a.page, b.page, c.page]) {
      for (const t of ['hello team', 'hi from bob', 'carol here']) await p.locator('cc-chat-view .msg .body').getByText(t, { exact: true }).waitFor();
    }
    const order = async (p) => (await shownBodies(p)).filter((t) => ['hello team', 'hi from bob', 'carol here'].includes(t));
    assert.deepEqual(await order(b.page), await order(a.page));
    assert.deepEqual(await order(c.page), await order(a.page));

    await a.page.getByRole('button', { name: 'Occupants' }).click();
    await a.page.getByRole('button', { name: 'Change subject' }).click();
    const ask = a.page.getByRole('dialog', { name: 'Change subject' });
    await ask.getByRole('textbox', { name: 'New subject' }).fill('Quarterly planning');
    await ask.getByRole('button', { name: 'Save' }).click();
    for (const p of [a.page, b.page, c.page]) await p.locator('cc-chat-view header .subject').getByText('Quarterly planning').waitFor();

    await c.page.getByRole('button', { name: 'Occupants' }).click();
    await c.page.getByRole('button', { name: 'Leave room' }).click();
    for (const p of [a.page, b.page]) await p.locator('cc-chat-view .system').getByText(new RegExp(`^${carol.user} left$`)).waitFor();
  });
});

describe('history', () => {
  it('shows the last page of 300 archived messages, pages up through all of them once, and a live one once', async (t) => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    // Seed the archive through the server: bob sends 300 messages (paced in small batches).
    const { x, stop } = await rawClient(bob, { available: false });
    t.after(stop);
    for (let i = 0; i < 300; i++) {
      await x.send(xml('message', { to: alice.jid, type: 'chat', id: `h${i}` }, xml('body', {}, `history ${String(i).padStart(3, '0')}`)));
    }
    await x.iqCaller.request(xml('iq', { type: 'get', to: stack.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    const a = await as(alice, { mode: 'embedded', with: bob.jid }, { width: 800, height: 600 });
    const body = a.page.locator('cc-chat-view .msg .body');
    await body.getByText('history 299', { exact: true }).waitFor();
    assert.equal(await body.getByText('history 000', { exact: true }).count(), 0, 'only the last page at first');

    const seen = new Map();
    let live = false;
    await until(async () => {
      const texts = await shownBodies(a.page);
      const nums = texts.filter((t) => t.startsWith('history ')).map((t) => Number(t.slice(8)));
      assert.deepEqual(nums, [...nums].sort((p, q) => p - q), 'rows are in order');
      assert.equal(new Set(texts).size, texts.length, `no duplicates on screen: ${texts.join('|')}`);
      for (const n of nums) seen.set(n, true);
      if (!live && seen.size > 100) {
        live = true;
        await x.send(xml('message', { to: alice.jid, type: 'chat', id: 'live-1' }, xml('body', {}, 'live while paging')));
      }
      if (seen.has(0)) return true;
      // Scroll up by most of a screen, like a reader would, so every message passes through view.
      await a.page.locator('cc-chat-view .log').evaluate((el) => { el.scrollTop = Math.max(0, el.scrollTop - el.clientHeight * 0.7); });
      return false;
    }, 'paging back to the first message', 60000).catch(async (e) => {
      throw new Error(`${e.message}; saw ${seen.size}, scrollTop ${await a.page.locator('cc-chat-view .log').evaluate((el) => el.scrollTop)}`);
    });
    assert.equal(seen.size, 300);
    await a.page.locator('cc-chat-view .log').evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
    await body.getByText('live while paging', { exact: true }).waitFor();
    assert.equal(await body.getByText('live while paging', { exact: true }).count(), 1);
  });
});

describe('receipts, markers and unread', () => {
  it('delivered when bob receives, read when he opens it; alice’s badge counts and clears', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const b = await as(bob, { mode: 'launcher' });
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    await b.page.getByRole('button', { name: 'Open chat' }).waitFor();
    await until(b.available, 'bob available');
    await say(a.page, 'are you there?');
    const status = a.page.locator('cc-chat-view .msg.out').last();
    await until(async () => (await status.getAttribute('data-status')) === 'delivered', 'delivered');

    await b.page.getByRole('button', { name: 'Open chat' }).click();
    await b.page.getByRole('option', { name: alice.user }).click();
    await until(async () => (await status.getAttribute('data-status')) === 'read', 'read');

    // Now alice's panel is closed (launcher) and bob writes twice.
    const a2 = await as(alice, { mode: 'launcher' });
    const events = [];
    await a2.page.exposeFunction('ccUnread', (t) => events.push(t));
    await a2.page.evaluate(() => document.querySelector('cc-chat').addEventListener('cc-unread-change', (e) => window.ccUnread(e.detail.total)));
    await until(a2.available, 'alice available');
    await a.ctx.close();
    await say(b.page, 'one');
    await say(b.page, 'two');
    const badge = a2.page.locator('cc-chat .launcher .badge');
    await until(async () => (await badge.count()) === 1 && (await badge.textContent()) === '2', 'badge 2');
    await a2.page.getByRole('button', { name: 'Open chat' }).click();
    await a2.page.getByRole('option', { name: bob.user }).click();
    await until(async () => events.at(-1) === 0, 'unread back to 0');
    assert.deepEqual(events, [1, 2, 0]);
    await a2.page.getByRole('button', { name: 'Close chat' }).click();
    assert.equal(await badge.count(), 0);
  });
});

describe('typing and carbons', () => {
  it('shows “bob is typing” while he types and hides it when he sends', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    const b = await as(bob, { mode: 'embedded', with: alice.jid });
    await a.page.locator('cc-chat-view .presence').getByText('online', { exact: true }).waitFor();
    await b.page.getByRole('textbox', { name: 'Message' }).pressSequentially('hel');
    const typing = a.page.locator('cc-chat-view .typing');
    await typing.getByText(`${bob.user} is typing…`).waitFor();
    await b.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await a.page.locator('cc-chat-view .msg .body').getByText('hel', { exact: true }).waitFor();
    await until(async () => (await typing.textContent())?.trim() === '', 'typing line cleared');
  });

  it('a message sent in one tab appears in the other tab of the same account', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const t1 = await as(alice, { mode: 'embedded', with: bob.jid });
    const t2 = await as(alice, { mode: 'embedded', with: bob.jid });
    await t2.page.locator('cc-chat-view .presence').waitFor();
    await until(t2.available, 'tab 2 available');
    await say(t1.page, 'sent from tab one');
    const mine = t2.page.locator('cc-chat-view .msg.out .body').getByText('sent from tab one', { exact: true });
    await mine.waitFor();
    assert.equal(await mine.count(), 1);
  });
});

describe('modes', () => {
  it('launcher opens and closes by button, Esc and toggle(), with cc-open-change events', async () => {
    const alice = newAccount('alice');
    const a = await as(alice, { mode: 'launcher', position: 'left' });
    await a.page.evaluate(() => {
      window.ccOpen = [];
      document.querySelector('cc-chat').addEventListener('cc-open-change', (e) => window.ccOpen.push(e.detail.open));
    });
    await a.page.getByRole('button', { name: 'Open chat' }).click();
    await a.page.getByRole('dialog', { name: 'Chat' }).waitFor();
    await a.page.keyboard.press('Escape');
    await a.page.getByRole('dialog', { name: 'Chat' }).waitFor({ state: 'hidden' });
    assert.equal(await a.page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label')), 'Open chat');
    await a.page.evaluate(() => document.querySelector('cc-chat').toggle());
    await a.page.getByRole('dialog', { name: 'Chat' }).waitFor();
    await a.page.getByRole('button', { name: 'Close chat' }).click();
    assert.deepEqual(await a.page.evaluate(() => window.ccOpen), [true, false, true, false]);
    const box = await a.page.getByRole('button', { name: 'Open chat' }).boundingBox();
    assert.ok(box && box.x < 100, 'position=left puts the launcher on the left');
  });

  it('embedded shows one pane; split shows list and conversation side by side when wide, one when narrow', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const e = await as(alice, { mode: 'embedded', with: bob.jid });
    await e.page.locator('cc-chat-view').waitFor();
    assert.equal(await e.page.locator('cc-chat-list').count(), 0);
    await e.page.getByRole('button', { name: 'Back' }).click();
    await until(() => e.page.getByRole('listbox', { name: 'Conversations' }).isVisible(), 'the list after Back', 30000);

    const s = await as(alice, { mode: 'split', with: bob.jid }, { width: 1000, height: 600 });
    await s.page.getByRole('listbox', { name: 'Conversations' }).waitFor();
    await s.page.locator('cc-chat-view').waitFor();
    await s.page.setViewportSize({ width: 500, height: 600 });
    await until(async () => (await s.page.locator('cc-chat-list').count()) === 0, 'narrow split shows one pane');
    await s.page.locator('cc-chat-view').waitFor();
  });
});
