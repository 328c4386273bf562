// Never lose a message: sending with the link down, reloading while offline, bounced messages, the
// cache across a reload, and logout. cc-chat in Chromium, the real server, and a proxy that cuts
// the browser's link on demand (test/support/ws-proxy.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, chatOnline, launchBrowser, newAccount, openAs, rawClient, readConversation, stack, startStaticServer, unique, until } from '../support/e2e.mjs';
import { startProxy } from '../support/ws-proxy.mjs';

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

const statusLine = (page) => page.evaluate(() => document.querySelector('cc-chat')?.shadowRoot?.querySelector('.status')?.textContent ?? null);
const online = (page) => chatOnline(page);
const say = async (page, text) => {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
};
const outStatus = (page, text) => page.locator('cc-chat-view .msg.out').filter({ has: page.getByText(text, { exact: true }) }).getAttribute('data-status');

/** What the page's IndexedDB databases hold, as text (every database, every store). */
const storedText = (page) => page.evaluate(async () => {
  const dump = [];
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise((res, rej) => { const r = indexedDB.open(name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    for (const store of db.objectStoreNames) {
      const all = await new Promise((res) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => res(r.result); });
      dump.push(name, store, JSON.stringify(all));
    }
    db.close();
  }
  return dump.join('\n');
});

/** A plain XMPP client (Node) for the other side, available; `bodies()`: the chat texts it got. */
async function peer(account, t) {
  const { x, got, stop } = await rawClient(account);
  t.after(stop);
  await x.iqCaller.request(xml('iq', { type: 'get', to: stack.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  return {
    x,
    bodies: () => got.filter((s) => s.is('message') && s.attrs.type === 'chat' && s.getChild('body')).map((s) => s.getChildText('body')),
    say: (to, text) => x.send(xml('message', { to, type: 'chat', id: unique('m') }, xml('body', {}, text))),
  };
}

describe('sending without a link', () => {
  it('10 messages sent while the link is down show as pending, then arrive once each and turn delivered', async (t) => {
    const proxy = await startProxy(stack.ports.http);
    t.after(() => proxy.close());
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid, service: proxy.service });
    // Bob is online but not reading, so alice's messages stop at delivered.
    const b = await as(bob, { mode: 'embedded' });
    await online(a.page);
    await until(b.available, 'bob available');

    proxy.refuse();
    proxy.cut();
    await until(async () => (await statusLine(a.page)) === 'Reconnecting…', 'alice to show the link is down');
    const texts = Array.from({ length: 10 }, (_, i) => `offline ${i}`);
    for (const s of texts) await say(a.page, s);
    for (const s of texts) assert.equal(await outStatus(a.page, s), 'pending');
    assert.equal(await a.page.locator('cc-chat-view .msg.out .state').filter({ hasText: 'Sending…' }).count(), 10);

    proxy.open();
    await until(async () => {
      for (const s of texts) if ((await outStatus(a.page, s)) !== 'delivered') return false;
      return true;
    }, 'all 10 delivered', 30000);
    await b.page.getByRole('option', { name: alice.user }).click();
    await until(async () => (await readConversation(b.page)).map((r) => r.t).join('|') === texts.join('|'), 'bob to show the 10, once each, in order');
    assert.deepEqual([...a.errors, ...b.errors], []);
  });

  it('a reload while offline keeps the pending messages, and they go out once online', async (t) => {
    const proxy = await startProxy(stack.ports.http);
    t.after(() => proxy.close());
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const p = await peer(bob, t);
    const a = await as(alice, { mode: 'embedded', with: bob.jid, service: proxy.service });
    await online(a.page);
    proxy.refuse();
    proxy.cut();
    await until(async () => (await statusLine(a.page)) === 'Reconnecting…', 'alice offline');
    const texts = ['kept 1', 'kept 2', 'kept 3'];
    for (const s of texts) await say(a.page, s);
    await until(async () => (await storedText(a.page)).split('"body":"kept ').length === 4, 'the three in IndexedDB');

    await a.page.reload();
    await a.page.locator('cc-chat-view').waitFor();
    await until(async () => {
      for (const s of texts) if ((await outStatus(a.page, s)) !== 'pending') return false;
      return true;
    }, 'the three shown pending after the reload');
    assert.notEqual(await statusLine(a.page), null, 'still offline');

    proxy.open();
    await until(async () => {
      for (const s of texts) if (!['sent', 'delivered', 'read'].includes(await outStatus(a.page, s))) return false;
      return true;
    }, 'all three sent', 30000);
    await until(() => p.bodies().length >= 3, 'bob to get them');
    assert.deepEqual(p.bodies(), texts);
    assert.deepEqual(a.errors, []);
  });
});

describe('bounced messages', () => {
  it('a message to someone who blocked us is marked failed with a reason, and Retry sends it once they unblock', async (t) => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const p = await peer(bob, t);
    await p.x.iqCaller.request(xml('iq', { type: 'set' }, xml('block', { xmlns: 'urn:xmpp:blocking' }, xml('item', { jid: alice.jid }))));
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    await online(a.page);
    await say(a.page, 'are you there?');
    await until(async () => (await outStatus(a.page, 'are you there?')) === 'failed', 'the message marked failed');
    await a.page.locator('cc-chat-view .msg.failed').getByText('Not sent: the recipient does not accept it').waitFor();
    assert.equal(p.bodies().length, 0);

    await p.x.iqCaller.request(xml('iq', { type: 'set' }, xml('unblock', { xmlns: 'urn:xmpp:blocking' }, xml('item', { jid: alice.jid }))));
    await a.page.getByRole('button', { name: 'Retry' }).click();
    await until(() => p.bodies().length === 1, 'bob to get it');
    assert.deepEqual(p.bodies(), ['are you there?']);
    await until(async () => ['sent', 'delivered'].includes(await outStatus(a.page, 'are you there?')), 'no longer failed');
    assert.equal(await a.page.getByRole('button', { name: 'Retry' }).count(), 0);
  });
});

describe('stream management across a reload', () => {
  it('a reload resumes the same stream; what came meanwhile shows once', async (t) => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const p = await peer(bob, t);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    await until(a.available, 'alice available');
    await p.say(alice.jid, 'before the reload');
    await a.page.locator('cc-chat-view .msg .body').getByText('before the reload', { exact: true }).waitFor();
    const [session] = stack.sessionsOf(alice.jid);
    assert.ok(session, 'alice has a session on the server');

    // The page goes away; the server keeps the stream, and what bob sends now, for alice.
    await a.page.evaluate(() => { window.stop(); });
    const reloading = a.page.reload();
    await p.say(alice.jid, 'during the reload');
    await reloading;
    await online(a.page);
    let shown = '';
    await until(async () => (shown = (await readConversation(a.page)).map((r) => r.t).join('|')) === 'before the reload|during the reload', 'both messages, once each')
      .catch((e) => { throw new Error(`${e.message}; shown: ${shown}`); });
    // Resumed, not replaced: the server still has exactly the one session, under the same address.
    assert.deepEqual(stack.sessionsOf(alice.jid), [session]);
    assert.deepEqual(a.errors, []);
  });
});

describe('the cache', () => {
  it('after a reload the list and the conversation show before the socket is up, then reconcile without duplicates', async (t) => {
    const proxy = await startProxy(stack.ports.http);
    t.after(() => proxy.close());
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const p = await peer(bob, t);
    const a = await as(alice, { mode: 'embedded', service: proxy.service });
    await until(a.available, 'alice available');
    for (const s of ['b1', 'b2', 'b3']) await p.say(alice.jid, s);
    await a.page.getByRole('option', { name: bob.user }).click();
    await until(async () => (await readConversation(a.page)).map((r) => r.t).join() === 'b1,b2,b3', 'bob’s three');
    await say(a.page, 'a1');
    await until(async () => (await readConversation(a.page)).map((r) => r.t).join() === 'b1,b2,b3,a1', 'the conversation');
    // The conversation cache (not only the outbox) holds a1 and bob's three.
    await until(async () => {
      const cached = (await storedText(a.page)).split('\n');
      const conv = cached[cached.indexOf('conversations') + 1] ?? '';
      return ['"body":"a1"', '"body":"b1"', '"body":"b3"'].every((b) => conv.includes(b));
    }, 'the conversation cache written');

    // The next socket is accepted but never answered: whatever shows now comes from the cache.
    proxy.hold();
    await a.page.reload();
    await a.page.getByRole('option', { name: bob.user }).waitFor();
    assert.match(await statusLine(a.page) ?? '', /Connecting…|Reconnecting…/);
    await a.page.getByRole('listbox', { name: 'Conversations' }).getByText('You: a1').waitFor();
    await a.page.getByRole('option', { name: bob.user }).click();
    await until(async () => (await readConversation(a.page)).map((r) => r.t).join() === 'b1,b2,b3,a1', 'the cached conversation');
    assert.notEqual(await statusLine(a.page), null, 'still not connected');

    await p.say(alice.jid, 'b4 while you were away');
    proxy.open();
    await online(a.page);
    await until(async () => (await readConversation(a.page)).map((r) => r.t).join() === 'b1,b2,b3,a1,b4 while you were away', 'reconciled, each message once');
    assert.deepEqual(a.errors, []);
  });

  it('keeps no password anywhere, and logout deletes the account’s data', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    await online(a.page);
    await say(a.page, 'something to cache');
    await until(async () => (await storedText(a.page)).includes('something to cache'), 'the cache written');
    // What a reload would keep in this tab.
    await a.page.evaluate(() => dispatchEvent(new Event('pagehide')));
    const everything = [
      await storedText(a.page),
      await a.page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }) + document.cookie),
    ].join('\n');
    assert.ok(everything.includes('cc:resume:'), 'the stream is resumable from the next page');
    assert.ok(!everything.includes(alice.password), 'no password in IndexedDB, sessionStorage, localStorage or cookies');

    await a.page.evaluate(() => document.querySelector('cc-chat').logout());
    await until(async () => (await statusLine(a.page)) === 'Signed out', 'signed out');
    assert.equal(await storedText(a.page), '');
    assert.equal(await a.page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('cc:')).length), 0);
  });
});
