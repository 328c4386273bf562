// cc-chat with `calls` and `whiteboard`: the header buttons start calls and open the board through the
// chat's own session, incoming calls ring in the chat, and calls are recorded in the conversation
// for both sides. Real Chromium with fake media, the built dist/cc.js, the real Prosody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { befriend, launchBrowser, newAccount, openAs, shownBodies, stack, startStaticServer, unique } from '../support/e2e.mjs';
import { openBoard, waitCount } from '../support/whiteboard.mjs';
import { callStats, waitUntil } from './call-support.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

/** A cc-chat page that records which script chunks it fetched. */
async function chat(me, attrs, viewport) {
  const side = await openAs(browser, web.origin, me, attrs, viewport);
  const chunks = [];
  side.page.on('request', (r) => { if (r.url().includes('/dist/')) chunks.push(new URL(r.url()).pathname); });
  return { ...side, chunks };
}

const stats = (page) => callStats(page, 'cc-chat');
const callEvents = (page) => shownBodies(page, 'cc-chat-view .system');
/** The docked cc-call exists: the call chunk loaded and the engine listens for calls. */
const ringable = (page) => waitUntil(() => page.evaluate(() => !!document.querySelector('cc-chat')?.shadowRoot?.querySelector('cc-call.dock')?.shadowRoot),
  'the call engine to be loaded');

async function flowing(page) {
  const first = await waitUntil(async () => (await stats(page)).framesDecoded, 'remote video frames decoded');
  await waitUntil(async () => (await stats(page)).framesDecoded > first, 'frames to keep coming');
}

describe('cc-chat: calls', () => {
  it('Video call from a 1:1 header: the callee\'s closed launcher opens and rings; both see video; both conversations record it', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await chat(alice, { mode: 'embedded', with: bob.jid, calls: '' });
    // Bob is on a phone-sized screen: the call takes the whole screen there.
    const b = await chat(bob, { calls: '' }, { width: 420, height: 760 });
    const call = a.page.getByRole('button', { name: 'Video call' });
    await waitUntil(() => call.isEnabled(), 'the Video call button');
    await ringable(b.page);
    assert.equal(await b.page.getByRole('dialog', { name: 'Chat' }).isVisible(), false, 'bob\'s panel starts closed');

    await call.click();
    await b.page.getByRole('alertdialog', { name: 'Incoming call' }).getByText(alice.user, { exact: true }).waitFor();
    await b.page.getByRole('button', { name: 'Accept' }).click();
    await flowing(a.page);
    await flowing(b.page);
    assert.equal(await a.page.getByRole('button', { name: 'Video call' }).isDisabled(), true, 'no second call while one runs');
    assert.deepEqual(await b.page.locator('cc-call.dock .panel').boundingBox(), { x: 0, y: 0, width: 420, height: 760 }, 'full screen on a narrow screen');
    assert.ok((await a.page.locator('cc-call.dock .panel').boundingBox()).height < 700, 'docked in the panel on a wide one');

    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await b.page.getByText('The other side hung up').waitFor();
    await waitUntil(async () => /^Video call, \d+:\d\d$/.test((await callEvents(a.page)).at(-1) ?? ''), 'the call in alice\'s conversation');
    await b.page.getByRole('listbox', { name: 'Conversations' }).getByRole('option', { name: alice.user }).click();
    await waitUntil(async () => /^Video call, \d+:\d\d$/.test((await callEvents(b.page)).at(-1) ?? ''), 'the call in bob\'s conversation');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it('a call the caller gives up on is a missed call for the callee, also after a reload (from the archive)', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await chat(alice, { mode: 'embedded', with: bob.jid, calls: '' });
    const b = await chat(bob, { mode: 'embedded', with: alice.jid, calls: '' });
    await ringable(a.page);
    await ringable(b.page);
    const call = a.page.getByRole('button', { name: 'Audio call' });
    await waitUntil(() => call.isEnabled(), 'the Audio call button');
    await call.click();
    await b.page.getByRole('button', { name: 'Accept' }).waitFor();
    await waitUntil(async () => (await callEvents(b.page)).includes('Incoming audio call'), 'the ringing call in bob\'s conversation');
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await waitUntil(async () => (await callEvents(b.page)).includes('Missed audio call'), 'the missed call at bob');
    await waitUntil(async () => (await callEvents(a.page)).includes('Cancelled audio call'), 'the cancelled call at alice');

    await b.page.reload();
    await waitUntil(async () => (await callEvents(b.page)).includes('Missed audio call'), 'the missed call after a reload');
    assert.deepEqual(await callEvents(b.page), ['Missed audio call']);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it('an unanswered call times out: "no answer" for the caller, a missed call for the callee, in both conversations', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await chat(alice, { mode: 'embedded', with: bob.jid, calls: '' });
    const b = await chat(bob, { mode: 'embedded', with: alice.jid, calls: '' });
    await ringable(a.page);
    await ringable(b.page);
    // The docked cc-call's answer-timeout (the engine is the session's, shared with cc-chat): 2 s instead of 60.
    await a.page.evaluate(() => { document.querySelector('cc-chat').shadowRoot.querySelector('cc-call.dock').answerTimeout = 2; });
    const call = a.page.getByRole('button', { name: 'Video call' });
    await waitUntil(() => call.isEnabled(), 'the Video call button');
    await call.click();
    await b.page.getByRole('button', { name: 'Accept' }).waitFor();
    // Nobody answers: the caller gives up by itself (no Hang up click).
    await a.page.getByText('No answer', { exact: true }).waitFor();
    await b.page.getByText('Missed call', { exact: true }).waitFor();
    await waitUntil(async () => (await callEvents(a.page)).includes('Video call, no answer'), 'the unanswered call in alice\'s conversation');
    await waitUntil(async () => (await callEvents(b.page)).includes('Missed video call'), 'the missed call in bob\'s conversation');
    assert.equal(await b.page.getByRole('button', { name: 'Accept' }).count(), 0, 'bob stopped ringing');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it('without `calls` there are no call buttons and the call chunk is never fetched', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await chat(alice, { mode: 'embedded', with: bob.jid });
    await a.page.locator('cc-chat-view header .name').getByText(bob.user, { exact: true }).waitFor();
    await a.page.getByRole('textbox', { name: 'Message' }).waitFor();
    assert.equal(await a.page.getByRole('button', { name: /^(Audio call|Video call|Whiteboard)$/ }).count(), 0);
    // The call and board chunks (call-log, the session's record of calls, is not one of them).
    assert.deepEqual(a.chunks.filter((c) => /\/(call|whiteboard)-[\w-]{8}\.js$/.test(c)), []);
    await a.ctx.close();
  });
});

describe('cc-chat: rooms', () => {
  it('room header: a group call with the call button, and the room\'s board in a panel, loaded on first use', async () => {
    const room = `${unique('team')}@conference.${stack.domain}`;
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const a = await chat(alice, { mode: 'embedded', room, calls: '', whiteboard: '' });
    const b = await chat(bob, { mode: 'embedded', room, calls: '' });
    for (const side of [a, b]) await waitUntil(() => side.page.getByRole('button', { name: 'Video call' }).isEnabled(), 'the room call button');

    // Group call: both press the room's Video call button and see each other.
    await a.page.getByRole('button', { name: 'Video call' }).click();
    await a.page.getByRole('button', { name: 'Hang up' }).waitFor();
    await b.page.getByRole('button', { name: 'Video call' }).click();
    await flowing(a.page);
    await flowing(b.page);
    await b.page.getByRole('button', { name: 'Hang up' }).click();

    // The board: its chunk arrives with the click, and it is the room's board.
    assert.deepEqual(a.chunks.filter((c) => c.includes('/whiteboard-')), []);
    await a.page.getByRole('button', { name: 'Whiteboard' }).click();
    const panel = a.page.getByRole('dialog', { name: 'Whiteboard' });
    await panel.waitFor();
    await waitUntil(() => a.page.evaluate(() => document.querySelector('cc-chat').shadowRoot.querySelector('cc-whiteboard')?._sync?.state === 'ready'), 'the board to load');
    assert.equal(a.chunks.filter((c) => c.includes('/whiteboard-')).length, 1);
    const c = await openBoard(browser, web.origin, stack, bob, { room });
    await panel.getByRole('button', { name: 'Rectangle' }).click();
    const box = await panel.locator('canvas.overlay').boundingBox();
    await a.page.mouse.move(box.x + 60, box.y + 80);
    await a.page.mouse.down();
    await a.page.mouse.move(box.x + 200, box.y + 160, { steps: 5 });
    await a.page.mouse.up();
    await waitCount(c.page, 1);
    await panel.getByRole('button', { name: 'Close whiteboard' }).click();
    assert.equal(await panel.count(), 0);

    // Still in the room for the chat.
    const text = `after the board ${unique('m')}`;
    await a.page.getByRole('textbox', { name: 'Message' }).fill(text);
    await a.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await waitUntil(async () => (await shownBodies(b.page)).includes(text), 'the message at bob');
    assert.deepEqual([...a.errors, ...b.errors, ...c.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close(), c.ctx.close()]);
  });
});
