// The meeting scenario (SPEC §1.4): room chat, group call and board side by side on one page and
// one account. The three elements share one session and so one membership of the room: the user is
// one occupant, and closing one element does not take the others out of the room.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newAccount, shownBodies, stack, startStaticServer, unique } from '../support/e2e.mjs';
import { waitReady } from '../support/whiteboard.mjs';
import { openCall, peerStats, waitUntil } from './call-support.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

const esc = (/** @type {string} */ s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `/meeting?room=…&jid=…&password=…&tags=cc-chat,cc-call,cc-whiteboard`: those elements, one account. */
function meetingPage(/** @type {import('node:http').IncomingMessage} */ req, /** @type {import('node:http').ServerResponse} */ res) {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/meeting') return false;
  const p = Object.fromEntries(url.searchParams);
  const account = `service="${esc(stack.service)}" jid="${esc(p.jid)}" password="${esc(p.password)}"`;
  const room = `room="${esc(p.room)}"`;
  const parts = {
    'cc-chat': `<div style="height:380px"><cc-chat mode="embedded" ${account} ${room}></cc-chat></div>`,
    'cc-call': `<cc-call ${account} ${room} video></cc-call>`,
    'cc-whiteboard': `<div style="height:300px"><cc-whiteboard ${account} ${room}></cc-whiteboard></div>`,
  };
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>meeting</title>
<script type="module" src="/dist/cc.js"></script></head><body style="margin:0">
${p.tags.split(',').map((t) => parts[t]).join('\n')}</body></html>`);
  return true;
}

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer({ handle: meetingPage })]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const open = (me, room, tags) => openCall(browser, `${web.origin}/meeting?${new URLSearchParams({ jid: me.jid, password: me.password, room, tags })}`);

/** Nicks in the chat's occupant list (the panel opens on first use). */
async function occupants(page) {
  const list = page.getByRole('region', { name: 'Occupants list' });
  if (!(await list.isVisible())) await page.getByRole('button', { name: 'Occupants' }).click();
  return list.locator('button.occupant').evaluateAll((els) => els.map((e) => e.getAttribute('data-nick')));
}

async function say(from, to, text) {
  await from.getByRole('textbox', { name: 'Message' }).fill(text);
  await from.getByRole('textbox', { name: 'Message' }).press('Enter');
  await waitUntil(async () => (await shownBodies(to)).includes(text), `"${text}" to arrive`);
}

describe('meeting: chat, call and board in one room on one account', () => {
  it('share one room membership: the user is listed once; closing the board keeps chat and call; hanging up keeps the chat', async () => {
    const room = `${unique('meet')}@conference.${stack.domain}`;
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const a = await open(alice, room, 'cc-chat,cc-call,cc-whiteboard');
    await a.ready();
    await waitReady(a.page);
    const b = await open(bob, room, 'cc-chat,cc-call');
    await b.ready();

    // One occupant per account, whatever the number of elements using the room.
    for (const side of [a, b]) {
      await waitUntil(async () => (await occupants(side.page)).length === 2, 'both occupants listed');
      assert.deepEqual((await occupants(side.page)).sort(), [alice.user, bob.user].sort());
    }

    // The group call between the two, beside the chat and the board.
    await a.page.getByRole('button', { name: 'Join call' }).click();
    await a.page.getByRole('button', { name: 'Hang up' }).waitFor();
    await b.page.getByRole('button', { name: 'Join call' }).click();
    const flowing = async (side) => {
      const first = await waitUntil(async () => (await peerStats(side.page))[0]?.framesDecoded, 'remote video frames');
      await waitUntil(async () => (await peerStats(side.page))[0]?.framesDecoded > first, 'frames to keep coming');
    };
    await flowing(a);
    await flowing(b);
    assert.deepEqual((await occupants(b.page)).sort(), [alice.user, bob.user].sort(), 'joining the call added no occupant');

    // Closing the board: alice stays in the room, in the chat and in the call.
    await a.page.evaluate(() => document.querySelector('cc-whiteboard').remove());
    await say(a.page, b.page, `still here ${unique('m')}`);
    await say(b.page, a.page, `me too ${unique('m')}`);
    await flowing(a);
    await flowing(b);
    assert.deepEqual((await occupants(b.page)).sort(), [alice.user, bob.user].sort());
    assert.equal((await shownBodies(b.page, 'cc-chat-view .system')).filter((t) => t.includes(`${alice.user} left`)).length, 0,
      'bob never saw alice leave');

    // Hanging up: alice leaves the call, not the room.
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await waitUntil(async () => (await peerStats(b.page)).length === 0, 'alice gone from bob\'s call');
    await say(a.page, b.page, `after the call ${unique('m')}`);
    assert.deepEqual((await occupants(b.page)).sort(), [alice.user, bob.user].sort());

    // Leaving the room from the chat, with nothing else in it, leaves it for real.
    await a.page.getByRole('button', { name: 'Leave room' }).click();
    await waitUntil(async () => (await occupants(b.page)).length === 1, 'alice gone from the room');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.close(), b.close()]);
  });
});
