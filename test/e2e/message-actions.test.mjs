// Edit, delete, react and reply between two users, in 1:1 and in a room (with moderation and
// @mentions): what each side sees live, after a reload (from the archive), and from the keyboard.
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

/** The bubble of the message whose text is `text`. */
const bubble = (page, text) => page.locator('cc-chat-view .msg').filter({ has: page.locator('.body', { hasText: text }) });

/** Hovers the message and clicks one of its actions. */
async function act(page, text, action) {
  const m = bubble(page, text);
  await m.hover();
  await m.getByRole('button', { name: action, exact: true }).click();
}

/** Online and available: its initial presence is on the wire. */
const online = (o) => until(o.available, 'online');

describe('message actions in a 1:1 conversation', () => {
  it('edit, react, reply and delete show on both sides, and again after a reload', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    const b = await as(bob, { mode: 'embedded', with: alice.jid });
    // Alice's second tab gets her own actions as carbons.
    const a2 = await as(alice, { mode: 'embedded', with: bob.jid });
    await Promise.all([online(a), online(b), online(a2)]);

    await say(a.page, 'keep me, with a typo');
    await say(a.page, 'delete me');
    await bubble(b.page, 'delete me').waitFor();
    // Only the last own message can be corrected (XEP-0308); delete that one first.
    await act(a.page, 'delete me', 'Delete');
    await a.page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    for (const p of [a.page, b.page, a2.page]) await p.locator('cc-chat-view .msg .body.deleted').getByText('message deleted').waitFor();
    assert.equal(await b.page.locator('cc-chat-view').getByText('delete me').count(), 0);

    await act(a.page, 'keep me, with a typo', 'Edit');
    const box = a.page.getByRole('textbox', { name: 'Message' });
    assert.equal(await box.inputValue(), 'keep me, with a typo');
    await box.fill('keep me, corrected');
    await box.press('Enter');
    for (const p of [a.page, b.page, a2.page]) {
      const m = bubble(p, 'keep me, corrected');
      await m.waitFor();
      await m.locator('.edited').getByText('edited').waitFor();
    }
    assert.equal(await b.page.locator('cc-chat-view').getByText('with a typo').count(), 0);

    await act(b.page, 'keep me, corrected', 'React');
    await b.page.getByRole('dialog', { name: 'Reactions' }).getByRole('button', { name: '👍' }).click();
    for (const p of [a.page, b.page]) await bubble(p, 'keep me, corrected').getByRole('button', { name: `👍 1: ${p === a.page ? bob.user : 'you'}` }).waitFor();
    // Alice adds hers by clicking the count.
    await bubble(a.page, 'keep me, corrected').getByRole('button', { name: /^👍 1/ }).click();
    for (const p of [a.page, b.page, a2.page]) await bubble(p, 'keep me, corrected').getByRole('button', { name: /^👍 2: / }).waitFor();
    // Who reacted shows on focus (and hover).
    const chip = bubble(b.page, 'keep me, corrected').locator('.chip');
    await chip.focus();
    assert.equal(await chip.locator('.who').textContent(), `you, ${alice.user}`);
    assert.ok(await chip.locator('.who').isVisible());

    await act(b.page, 'keep me, corrected', 'Reply');
    await b.page.locator('cc-chat-composer .banner').getByText(/Replying to .*keep me, corrected/).waitFor();
    await say(b.page, 'a reply to that');
    for (const p of [a.page, b.page]) {
      const reply = bubble(p, 'a reply to that');
      await reply.locator('.quote').getByText('keep me, corrected').waitFor();
    }
    // The fallback quote for other clients is not part of the text shown.
    assert.deepEqual((await shownBodies(a.page)).slice(-1), ['a reply to that']);
    await bubble(a.page, 'a reply to that').locator('.quote').click();
    await until(() => a.page.evaluate(() => {
      const view = document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view').shadowRoot;
      return view.activeElement?.querySelector('.body')?.textContent === 'keep me, corrected';
    }), 'the quoted message focused');

    // After a reload everything comes back from the archive.
    await b.page.reload();
    await bubble(b.page, 'a reply to that').locator('.quote').getByText('keep me, corrected').waitFor();
    const kept = bubble(b.page, 'keep me, corrected');
    await kept.locator('.edited').waitFor();
    await kept.getByRole('button', { name: /^👍 2: / }).waitFor();
    await b.page.locator('cc-chat-view .msg .body.deleted').getByText('message deleted').waitFor();
    assert.deepEqual(await shownBodies(b.page), ['keep me, corrected', 'message deleted', 'a reply to that']);
    assert.deepEqual([...a.errors, ...b.errors, ...a2.errors], []);
  });

  it('a quote of a message far back in history pages back to it', async (t) => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const { x, stop } = await rawClient(bob, { available: false });
    t.after(stop);
    await x.send(xml('message', { to: alice.jid, type: 'chat', id: 'far-1' }, xml('body', {}, 'the very first message'), xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id: 'far-1' })));
    for (let i = 0; i < 130; i++) await x.send(xml('message', { to: alice.jid, type: 'chat', id: `f${i}` }, xml('body', {}, `filler ${i}`)));
    await x.send(xml('message', { to: alice.jid, type: 'chat', id: 'late-reply' }, xml('body', {}, '> the very first message\nremember this?'),
      xml('reply', { xmlns: 'urn:xmpp:reply:0', to: bob.jid, id: 'far-1' }),
      xml('fallback', { xmlns: 'urn:xmpp:fallback:0', for: 'urn:xmpp:reply:0' }, xml('body', { start: '0', end: '25' }))));
    await x.iqCaller.request(xml('iq', { type: 'get', to: stack.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })));

    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    const reply = bubble(a.page, 'remember this?');
    // Not loaded yet: the quote shows the sender's fallback text.
    await reply.locator('.quote').getByText('the very first message').waitFor();
    assert.equal(await bubble(a.page, 'the very first message').count(), 0);
    await reply.locator('.quote').click();
    await until(() => a.page.evaluate(() => {
      const view = document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view').shadowRoot;
      const el = view.activeElement;
      const log = view.querySelector('.log').getBoundingClientRect();
      const r = el?.getBoundingClientRect();
      return el?.querySelector('.body')?.textContent === 'the very first message' && r.top >= log.top && r.bottom <= log.bottom;
    }), 'the first message shown and focused', 30000);
    assert.deepEqual(a.errors, []);
  });
});

describe('message actions in a room', () => {
  it('moderators delete others’ messages; @mentions complete and highlight; reactions by nick', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const a = await as(alice, { mode: 'embedded' });
    const b = await as(bob, { mode: 'embedded' });
    // The test server keeps no offline messages: bob must be online before the invitation goes out.
    await until(b.available, 'bob online');
    const roomName = `Mod ${unique('r')}`;
    await a.page.getByRole('button', { name: 'New chat' }).click();
    await a.page.getByRole('textbox', { name: 'Room name' }).fill(roomName);
    await a.page.getByRole('textbox', { name: 'Invite' }).fill(bob.jid);
    await a.page.getByRole('button', { name: 'Create room' }).click();
    await a.page.locator('cc-chat-view header .name').getByText(roomName).waitFor();
    await b.page.getByRole('group', { name: /Invitation to/ }).getByRole('button', { name: 'Join' }).click();
    await b.page.locator('cc-chat-view header .name').getByText(roomName).waitFor();

    await say(b.page, 'buy cheap stuff here');
    await bubble(a.page, 'buy cheap stuff here').waitFor();
    // Bob is no moderator: no Delete on alice's messages; alice (the owner) has it on his.
    await say(a.page, 'welcome');
    await bubble(b.page, 'welcome').hover();
    assert.equal(await bubble(b.page, 'welcome').getByRole('button', { name: 'Delete', exact: true }).count(), 0);
    await act(a.page, 'buy cheap stuff here', 'Delete');
    const dialog = a.page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('spam');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    for (const p of [a.page, b.page]) await p.locator('cc-chat-view .msg .body.deleted').getByText('message deleted by', { exact: false }).waitFor();
    assert.match(await b.page.locator('cc-chat-view .msg .body.deleted').textContent(), /by .*: spam$/);

    // Mentions: typing @al offers alice; Enter takes it.
    const box = b.page.getByRole('textbox', { name: 'Message' });
    await box.pressSequentially('hey @al');
    await b.page.getByRole('listbox', { name: 'Mention someone' }).getByRole('option', { name: alice.user }).waitFor();
    await box.press('Enter');
    assert.equal(await box.inputValue(), `hey @${alice.user} `);
    await box.pressSequentially('look at this');
    await box.press('Enter');
    const mention = bubble(a.page, 'look at this');
    await mention.waitFor();
    assert.match(await mention.getAttribute('class'), /\bmention\b/);
    assert.doesNotMatch(await bubble(b.page, 'look at this').getAttribute('class'), /\bmention\b/);

    await act(a.page, 'look at this', 'React');
    await a.page.getByRole('dialog', { name: 'Reactions' }).getByRole('button', { name: '❤️' }).click();
    await bubble(b.page, 'look at this').getByRole('button', { name: `❤️ 1: ${alice.user}` }).waitFor();

    await act(b.page, 'look at this', 'Edit');
    await box.fill(`hey @${alice.user} look at this now`);
    await box.press('Enter');
    await bubble(a.page, 'look at this now').locator('.edited').waitFor();

    // From the room's archive after a reload: the moderation tombstone, the correction, the reaction.
    await b.page.reload();
    await b.page.getByRole('option', { name: roomName }).click();
    const again = bubble(b.page, 'look at this now');
    await again.locator('.edited').waitFor();
    await again.getByRole('button', { name: `❤️ 1: ${alice.user}` }).waitFor();
    await b.page.locator('cc-chat-view .msg .body.deleted').getByText(/message deleted by .*: spam/).waitFor();
    assert.equal(await b.page.locator('cc-chat-view').getByText('buy cheap stuff here').count(), 0);
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});

describe('message actions by keyboard', () => {
  it('walks to a message with the arrow keys and reacts from its toolbar', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { mode: 'embedded', with: bob.jid });
    await online(a);
    await say(a.page, 'first');
    await say(a.page, 'second');
    await bubble(a.page, 'second').waitFor();
    await a.page.getByRole('log', { name: 'Messages' }).focus();
    await a.page.keyboard.press('ArrowUp');
    await a.page.keyboard.press('ArrowUp');
    const focused = () => a.page.evaluate(() => {
      const view = document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view').shadowRoot;
      return view.activeElement?.querySelector('.body')?.textContent ?? view.activeElement?.getAttribute('aria-label');
    });
    await until(async () => (await focused()) === 'first', 'the first message focused');
    await a.page.keyboard.press('Tab');
    assert.equal(await focused(), 'React');
    await a.page.keyboard.press('Enter');
    await until(async () => (await focused()) === '👍', 'the first reaction focused');
    await a.page.keyboard.press('Enter');
    await bubble(a.page, 'first').getByRole('button', { name: '👍 1: you' }).waitFor();
    assert.equal(await focused(), 'React');
    await a.page.keyboard.press('Escape');
    assert.equal(await a.page.evaluate(() => document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view').shadowRoot
      .querySelector('cc-chat-composer').shadowRoot.activeElement?.getAttribute('aria-label')), 'Message');
  });
});
