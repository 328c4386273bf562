// cc-chat beyond the basics: bookmarks on a fresh login, status text, last seen, removing and
// declining contacts, direct invitations, nickname conflicts, typing stops, and the element's UI
// contract (online tab, full-screen launcher, methods and events, list order and unread).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, chatOnline, launchBrowser, newAccount, openAs, pageUrl, rawClient, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;
const open = [];
const MUC = `conference.${stack.domain}`;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await Promise.all(open.map((o) => o.ctx.close().catch(() => {})));
  await browser?.close();
  await web?.close();
});

/** A cc-chat page in a new browser context: no cache, no stream to resume. */
async function as(me, attrs, viewport) {
  const o = await openAs(browser, web.origin, me, attrs, viewport);
  open.push(o);
  return o;
}

/**
 * The server routes to `jid`'s page: `raw` (a contact) got its available presence. Only then does a
 * message to the bare address reach the page live (the test server keeps no offline store).
 */
const seesOnline = (raw, jid) => until(() => raw.got.some((s) => s.is('presence') && !s.attrs.type && s.attrs.from?.startsWith(`${jid}/`)), `${jid} online for the server`);

const say = async (page, text) => {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
};
const headerPresence = (page) => page.locator('cc-chat-view header .presence');
const bodyText = (page, text) => page.locator('cc-chat-view .msg .body').getByText(text, { exact: true });

async function createRoom(page, name, { membersOnly = false, invite = '' } = {}) {
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('textbox', { name: 'Room name' }).fill(name);
  if (membersOnly) await page.getByRole('checkbox', { name: 'Members only' }).check();
  if (invite) await page.getByRole('textbox', { name: 'Invite' }).fill(invite);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.locator('cc-chat-view header .name').getByText(name).waitFor();
}

describe('rooms', () => {
  it('a room joined on one device is listed and opens on a fresh login elsewhere (bookmarks)', async () => {
    const alice = newAccount('alice');
    const a = await as(alice, { mode: 'embedded' });
    const roomName = `Book club ${unique('r')}`;
    await createRoom(a.page, roomName);
    await say(a.page, 'first message');
    await bodyText(a.page, 'first message').waitFor();
    await a.ctx.close();

    // A new browser context: no IndexedDB cache, no stream-management state to resume.
    const a2 = await as(alice, { mode: 'embedded' });
    const item = a2.page.getByRole('listbox', { name: 'Conversations' }).getByRole('option', { name: roomName });
    await item.waitFor();
    // Clicked once the session is online (the list re-sorts while the login's data arrives).
    await chatOnline(a2.page);
    await item.click();
    await a2.page.locator('cc-chat-view header .name').getByText(roomName).waitFor();
    await bodyText(a2.page, 'first message').waitFor();
    // Joined, not just listed: the room counts us in and takes messages.
    await a2.page.locator('cc-chat-view header .subject').getByText('1 in the room').waitFor();
    await say(a2.page, 'back again');
    await until(async () => (await a2.page.locator('cc-chat-view .msg.out').last().getAttribute('data-status')) === 'sent', 'the room echoed the message');
    assert.deepEqual(a2.errors, []);
  });

  it('a direct invitation (XEP-0249) from another client shows and joins; open rooms invite directly', async (t) => {
    const alice = newAccount('alice');
    const dave = newAccount('dave');
    await befriend(alice, dave);
    const a = await as(alice, { mode: 'embedded' });
    const d = await rawClient(dave);
    t.after(d.stop);
    await seesOnline(d, alice.jid);
    const room = `${unique('open')}@${MUC}`;
    await d.x.send(xml('presence', { to: `${room}/dave` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
    await until(() => d.got.some((s) => s.is('presence') && s.attrs.from === `${room}/dave`), 'dave in his room');
    await d.x.send(xml('message', { to: alice.jid }, xml('x', { xmlns: 'jabber:x:conference', jid: room, reason: 'come in' })));

    const invitation = a.page.getByRole('group', { name: `Invitation to ${room}` });
    await invitation.getByText(`${dave.jid} invites you to ${room}`).waitFor();
    await invitation.getByRole('button', { name: 'Join' }).click();
    await a.page.locator('cc-chat-view header .subject').getByText('2 in the room').waitFor();
    await d.x.send(xml('message', { to: room, type: 'groupchat' }, xml('body', {}, 'welcome alice')));
    await bodyText(a.page, 'welcome alice').waitFor();
    await say(a.page, 'thanks dave');
    await until(() => d.got.some((s) => s.is('message') && s.attrs.type === 'groupchat' && s.getChildText('body') === 'thanks dave'), 'dave got alice’s message');

    // Alice creates an open room and invites dave: a direct invitation reaches him.
    const mine = `Open ${unique('r')}`;
    await a.page.getByRole('button', { name: 'Back' }).click();
    await createRoom(a.page, mine, { invite: dave.jid });
    const direct = await until(() => d.got.find((s) => s.is('message') && s.getChild('x', 'jabber:x:conference')), 'a direct invitation at dave');
    assert.equal(direct.attrs.from.split('/')[0], alice.jid);
    assert.match(direct.getChild('x', 'jabber:x:conference').attrs.jid, new RegExp(`@${MUC.replace(/\./g, '\\.')}$`));
    assert.deepEqual(a.errors, []);
  });

  it('two people asking for the same nick both get in (one renamed) and talk', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const room = `${unique('nick')}@${MUC}`;
    const a = await as(alice, { mode: 'embedded', room, nick: 'sam' });
    await a.page.locator('cc-chat-view header .subject').getByText('1 in the room').waitFor();
    const b = await as(bob, { mode: 'embedded', room, nick: 'sam' });
    for (const p of [a.page, b.page]) await p.locator('cc-chat-view header .subject').getByText('2 in the room').waitFor();
    await b.page.getByRole('button', { name: 'Occupants' }).click();
    await b.page.locator('cc-chat-view .occupants button.occupant').nth(1).waitFor();
    const nicks = await b.page.locator('cc-chat-view .occupants button.occupant').evaluateAll((els) => els.map((e) => e.getAttribute('data-nick')));
    assert.equal(nicks.length, 2);
    assert.ok(nicks.includes('sam'), `alice keeps her nick: ${nicks}`);
    assert.notEqual(nicks.find((n) => n !== 'sam'), undefined);
    assert.match(nicks.find((n) => n !== 'sam'), /^sam/, 'bob gets a nick close to the one he asked for');

    await say(a.page, 'hello from the first sam');
    await say(b.page, 'hello from the second sam');
    for (const p of [a.page, b.page]) {
      await bodyText(p, 'hello from the first sam').waitFor();
      await bodyText(p, 'hello from the second sam').waitFor();
    }
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});

describe('status and last seen', () => {
  it('a status message goes out with the status; the peer sees it; away carries an idle time', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    const b = await as(bob, { mode: 'embedded' });
    const sent = [];
    b.page.on('websocket', (ws) => ws.on('framesent', (f) => { if (typeof f.payload === 'string' && f.payload.startsWith('<presence')) sent.push(f.payload); }));
    await headerPresence(a.page).getByText('online', { exact: true }).waitFor();

    const text = b.page.getByRole('textbox', { name: 'Status text' });
    await text.fill('In a meeting');
    await text.press('Enter');
    await headerPresence(a.page).getByText('online — In a meeting', { exact: true }).waitFor();
    await b.page.getByRole('combobox', { name: 'Status' }).selectOption('away');
    await headerPresence(a.page).getByText('away — In a meeting', { exact: true }).waitFor();
    const away = sent.find((p) => p.includes('<show>away</show>'));
    assert.ok(away?.includes('<status>In a meeting</status>'), away);
    assert.match(away, /<idle xmlns="urn:xmpp:idle:1" since="\d{4}-\d\d-\d\dT[\d:.]+Z"\/>/);

    // Clearing the text clears it for the peer too.
    await text.fill('');
    await text.press('Enter');
    await headerPresence(a.page).getByText('away', { exact: true }).waitFor();
  });

  it('a contact who went offline shows “last seen …”: their idle time (XEP-0319), or the server’s (XEP-0012)', async (t) => {
    const alice = newAccount('alice');
    const dave = newAccount('dave');
    await befriend(alice, dave);
    const d = await rawClient(dave);
    t.after(d.stop);
    const a = await as(alice, { mode: 'embedded', with: dave.jid });
    await headerPresence(a.page).getByText('online', { exact: true }).waitFor();
    const since = new Date(Date.now() - 2 * 3600_000).toISOString();
    await d.x.send(xml('presence', { type: 'unavailable' }, xml('idle', { xmlns: 'urn:xmpp:idle:1', since })));
    await headerPresence(a.page).getByText('last seen 2 hours ago', { exact: true }).waitFor();
    await d.x.stop();

    // A fresh login knows no presence of dave's: it asks the server when he was last active.
    const a2 = await as(alice, { mode: 'embedded', with: dave.jid });
    await headerPresence(a2.page).getByText(/^last seen /).waitFor();
  });
});

describe('contacts', () => {
  it('Remove contact (with a confirmation) ends the subscription on both sides', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded' });
    const b = await as(bob, { mode: 'embedded' });
    await b.page.locator(`li[data-jid="${alice.jid}"] .dot[data-show="available"]`).waitFor();
    const list = a.page.getByRole('listbox', { name: 'Conversations' });
    await list.getByRole('option', { name: bob.user }).click();
    await a.page.getByRole('button', { name: 'Contact info' }).click();
    const card = a.page.getByRole('dialog', { name: 'Contact info' });
    await card.getByRole('button', { name: 'Remove contact' }).click();
    // Nothing happens before the confirmation; Cancel keeps the contact.
    await card.getByRole('button', { name: 'Cancel' }).click();
    await card.getByRole('button', { name: 'Remove contact' }).click();
    await card.getByText(`Remove ${bob.user} from your contacts?`, { exact: false }).waitFor();
    await card.getByRole('button', { name: 'Remove', exact: true }).click();
    await card.waitFor({ state: 'detached' });

    await a.page.getByRole('button', { name: 'Back' }).click();
    await list.waitFor();
    await until(async () => (await list.getByRole('option', { name: bob.user }).count()) === 0, 'bob gone from alice’s list');
    // Bob no longer sees alice's presence (his entry has no subscription left).
    await b.page.locator(`li[data-jid="${alice.jid}"] .dot[data-show="offline"]`).waitFor();
    // The server forgot him too: a fresh login does not list him.
    const a2 = await as(alice, { mode: 'embedded' });
    await chatOnline(a2.page);
    await a2.page.getByRole('listbox', { name: 'Conversations' }).waitFor();
    await a2.page.getByText('No conversations yet').waitFor();
    assert.deepEqual([...a.errors, ...b.errors], []);
  });

  it('Decline refuses a contact request for good', async (t) => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const carol = newAccount('carol');
    const a = await as(alice, { mode: 'embedded' });
    await until(a.available, 'alice available');
    const b = await rawClient(bob);
    t.after(b.stop);
    // Answers to subscriptions reach only resources that read the roster (RFC 6121 "interested").
    await b.x.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
    await b.x.send(xml('presence', { to: alice.jid, type: 'subscribe' }));
    const request = a.page.getByRole('group', { name: `Contact request from ${bob.jid}` });
    await request.getByRole('button', { name: 'Decline' }).click();
    await request.waitFor({ state: 'detached' });
    await until(() => b.got.some((s) => s.is('presence') && s.attrs.type === 'unsubscribed' && s.attrs.from.startsWith(alice.jid)), 'bob told no');
    await a.ctx.close();

    // Pending requests come again at every login; a declined one does not. Carol's, sent after
    // this login is up, shows that requests do arrive.
    const a2 = await as(alice, { mode: 'embedded' });
    await until(a2.available, 'alice available again');
    const c = await rawClient(carol, { available: false });
    t.after(c.stop);
    await c.x.send(xml('presence', { to: alice.jid, type: 'subscribe' }));
    await a2.page.getByRole('group', { name: `Contact request from ${carol.jid}` }).waitFor();
    assert.equal(await a2.page.getByRole('group', { name: `Contact request from ${bob.jid}` }).count(), 0);
  });
});

describe('typing', () => {
  it('“is typing” goes away when the peer pauses or empties the box without sending', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    const b = await as(bob, { mode: 'embedded', with: alice.jid });
    await headerPresence(a.page).getByText('online', { exact: true }).waitFor();
    const typing = a.page.locator('cc-chat-view .typing');
    const box = b.page.getByRole('textbox', { name: 'Message' });
    await box.pressSequentially('hel');
    await typing.getByText(`${bob.user} is typing…`).waitFor();
    // Bob stops: after a few seconds without a key his client says he paused (well before alice's
    // own 30-second safety timeout).
    await until(async () => (await typing.textContent())?.trim() === '', 'typing line cleared after a pause', 12000);
    assert.ok(b.sent.some((f) => f.includes('<paused')), 'bob’s client sent a paused state');

    await box.pressSequentially('lo');
    await typing.getByText(`${bob.user} is typing…`).waitFor();
    await box.fill('');
    await until(async () => (await typing.textContent())?.trim() === '', 'typing line cleared when the box is emptied', 3000);
    assert.equal(await a.page.locator('cc-chat-view .msg').count(), 0, 'nothing was sent');
  });

  it('shows who is typing in a room', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const room = `${unique('typing')}@${MUC}`;
    const a = await as(alice, { mode: 'embedded', room });
    await a.page.locator('cc-chat-view header .subject').getByText('1 in the room').waitFor();
    const b = await as(bob, { mode: 'embedded', room });
    await a.page.locator('cc-chat-view header .subject').getByText('2 in the room').waitFor();
    await b.page.locator('cc-chat-view header .subject').getByText('2 in the room').waitFor();
    await b.page.getByRole('textbox', { name: 'Message' }).pressSequentially('hi al');
    const typing = a.page.locator('cc-chat-view .typing');
    await typing.getByText(`${bob.user} is typing…`).waitFor();
    await b.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await bodyText(a.page, 'hi al').waitFor();
    await until(async () => (await typing.textContent())?.trim() === '', 'typing line cleared');
    assert.equal(await b.page.locator('cc-chat-view .typing').textContent().then((s) => s?.trim()), '', 'no one sees themselves typing');
  });
});

describe('UI contract', () => {
  it('online-users: the Online tab lists contacts online, not those offline', async (t) => {
    const [alice, bob, carol] = [newAccount('alice'), newAccount('bob'), newAccount('carol')];
    await befriend(alice, bob, carol);
    t.after((await rawClient(bob)).stop);
    const a = await as(alice, { mode: 'embedded', 'online-users': '' });
    const list = a.page.getByRole('listbox', { name: 'Conversations' });
    await list.getByRole('option', { name: carol.user }).waitFor();
    await a.page.locator(`li[data-jid="${bob.jid}"] .dot[data-show="available"]`).waitFor();
    await a.page.getByRole('tab', { name: 'Online' }).click();
    assert.equal(await a.page.getByRole('tab', { name: 'Online' }).getAttribute('aria-selected'), 'true');
    await until(async () => (await list.getByRole('option').allTextContents()).length === 1, 'one contact online');
    await list.getByRole('option', { name: bob.user }).waitFor();
    assert.equal(await list.getByRole('option', { name: carol.user }).count(), 0);
    await a.page.getByRole('tab', { name: 'Chats' }).click();
    await list.getByRole('option', { name: carol.user }).waitFor();
  });

  it('without online-users there is no tab; with no-new-chat there is no New chat button', async () => {
    const alice = newAccount('alice');
    const plain = await as(alice, { mode: 'embedded' });
    await plain.page.getByRole('button', { name: 'New chat' }).waitFor();
    assert.equal(await plain.page.getByRole('tab').count(), 0);
    const bare = await as(alice, { mode: 'embedded', 'no-new-chat': '' });
    await chatOnline(bare.page);
    await bare.page.getByRole('searchbox', { name: 'Filter conversations' }).waitFor();
    assert.equal(await bare.page.getByRole('button', { name: 'New chat' }).count(), 0);
  });

  it('the launcher panel fills the screen below 640 px and floats above it', async () => {
    const alice = newAccount('alice');
    const narrow = await as(alice, { mode: 'launcher' }, { width: 500, height: 700 });
    await narrow.page.getByRole('button', { name: 'Open chat' }).click();
    const panel = narrow.page.getByRole('dialog', { name: 'Chat' });
    await panel.waitFor();
    assert.deepEqual(await panel.boundingBox(), { x: 0, y: 0, width: 500, height: 700 });
    await narrow.page.setViewportSize({ width: 1000, height: 700 });
    await until(async () => (await panel.boundingBox())?.width < 500, 'a floating panel when wide');
    const box = await panel.boundingBox();
    assert.ok(box.x > 500 && box.y > 0, `floats at the right: ${JSON.stringify(box)}`);
  });

  it('show(), hide(), openConversation(jid) and the cc-ready / cc-open-change details', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const ctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    open.push({ ctx });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    // Listening from before the element exists: cc-ready fires once, when it is online.
    await page.addInitScript(() => {
      window.ccEvents = [];
      for (const type of ['cc-ready', 'cc-open-change']) {
        document.addEventListener(type, (e) => window.ccEvents.push({ type, detail: e.detail, composed: e.composed, bubbles: e.bubbles }));
      }
    });
    await page.goto(pageUrl(web.origin, { service: stack.service, jid: alice.jid, password: alice.password, mode: 'launcher' }));
    const events = () => page.evaluate(() => window.ccEvents);
    const ready = await until(async () => (await events()).find((e) => e.type === 'cc-ready'), 'cc-ready');
    assert.match(ready.detail.jid, new RegExp(`^${alice.jid.replace(/\./g, '\\.')}/.+`));
    assert.ok(ready.bubbles && ready.composed);

    await page.evaluate(() => document.querySelector('cc-chat').show());
    await page.getByRole('dialog', { name: 'Chat' }).waitFor();
    assert.equal(await page.locator('cc-chat').getAttribute('open'), '');
    await page.evaluate((jid) => document.querySelector('cc-chat').openConversation(jid), bob.jid);
    await page.locator('cc-chat-view header .name').getByText(bob.user, { exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.evaluate(() => document.querySelector('cc-chat').show()); // already open: no event
    await page.evaluate(() => document.querySelector('cc-chat').hide());
    await page.getByRole('dialog', { name: 'Chat' }).waitFor({ state: 'hidden' });
    assert.equal(await page.locator('cc-chat').getAttribute('open'), null);
    const opens = (await events()).filter((e) => e.type === 'cc-open-change');
    assert.deepEqual(opens, [
      { type: 'cc-open-change', detail: { open: true }, composed: true, bubbles: true },
      { type: 'cc-open-change', detail: { open: false }, composed: true, bubbles: true },
    ]);
    assert.equal((await events()).filter((e) => e.type === 'cc-ready').length, 1);
    assert.deepEqual(errors, []);
  });

  it('date separators divide the log by day (Today, Yesterday, then dates)', async (t) => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    const b = await rawClient(bob);
    t.after(b.stop);
    await seesOnline(b, alice.jid);
    // Messages sent late (XEP-0203 delay), as a client does after being offline.
    const at = (daysAgo) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    const send = (text, stamp) => b.x.send(xml('message', { to: alice.jid, type: 'chat', id: unique('m') }, xml('body', {}, text),
      ...(stamp ? [xml('delay', { xmlns: 'urn:xmpp:delay', from: stack.domain, stamp })] : [])));
    await send('three days ago', at(3));
    await send('yesterday one', at(1));
    await send('yesterday two', at(1));
    await send('just now');
    await bodyText(a.page, 'just now').waitFor();
    const rows = await a.page.locator('cc-chat-view .log').evaluate((log) => [...log.querySelectorAll('[role=separator], .msg .body')]
      .map((e) => ({ sep: e.getAttribute('role') === 'separator', t: e.textContent ?? '', y: e.getBoundingClientRect().top }))
      .sort((p, q) => p.y - q.y).map(({ sep, t }) => (sep ? `— ${t} —` : t)));
    const three = new Date(Date.now() - 3 * 86_400_000);
    assert.equal(rows.length, 7, rows.join(' | '));
    assert.match(rows[0], new RegExp(`^— .*\\b${three.getDate()}\\b.*${three.getFullYear()}.* —$`));
    assert.deepEqual(rows.slice(1), ['three days ago', '— Yesterday —', 'yesterday one', 'yesterday two', '— Today —', 'just now']);
  });

  it('the list is sorted by last activity and shows each conversation’s unread count', async (t) => {
    const [alice, bob, carol, dave] = [newAccount('alice'), newAccount('bob'), newAccount('carol'), newAccount('dave')];
    await befriend(alice, bob, carol, dave);
    const a = await as(alice, { mode: 'embedded' });
    const list = a.page.getByRole('listbox', { name: 'Conversations' });
    await list.getByRole('option', { name: dave.user }).waitFor();
    const b = await rawClient(bob);
    t.after(b.stop);
    const c = await rawClient(carol);
    t.after(c.stop);
    await Promise.all([seesOnline(b, alice.jid), seesOnline(c, alice.jid)]);
    const send = (x, text) => x.send(xml('message', { to: alice.jid, type: 'chat', id: unique('m') }, xml('body', {}, text)));
    await send(b.x, 'from bob');
    await list.getByRole('option', { name: bob.user }).getByText('from bob').waitFor();
    await send(c.x, 'carol one');
    await send(c.x, 'carol two');
    await list.getByRole('option', { name: carol.user }).getByText('carol two').waitFor();
    const order = () => list.getByRole('option').evaluateAll((els) => els
      .map((e) => ({ name: e.getAttribute('aria-label'), y: e.getBoundingClientRect().top, unread: e.querySelector('.badge')?.getAttribute('aria-label') ?? '' }))
      .sort((p, q) => p.y - q.y).map(({ name, unread }) => [name, unread]));
    assert.deepEqual(await order(), [[carol.user, '2 unread'], [bob.user, '1 unread'], [dave.user, '']]);

    // Bob writes again: he moves to the top; reading carol clears her count only.
    await send(b.x, 'bob again');
    await list.getByRole('option', { name: bob.user }).getByText('bob again').waitFor();
    assert.deepEqual(await order(), [[bob.user, '2 unread'], [carol.user, '2 unread'], [dave.user, '']]);
    await list.getByRole('option', { name: carol.user }).click();
    await bodyText(a.page, 'carol two').waitFor();
    await a.page.getByRole('button', { name: 'Back' }).click();
    await list.waitFor();
    assert.deepEqual(await order(), [[bob.user, '2 unread'], [carol.user, ''], [dave.user, '']]);
  });
});
