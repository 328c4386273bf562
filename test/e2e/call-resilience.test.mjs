// A call that outlives network trouble. Alice's media goes through TURN only, and her TURN server is
// reached through a UDP hop the test can cut (her server's XEP-0215 answer points at the hop); her XMPP
// WebSocket runs through a route the test can close. So the drops are real: packets stop, the socket
// closes, and the element has to notice and recover on its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { befriend, launchBrowser, newAccount, pageUrl, stack, startStaticServer } from '../support/e2e.mjs';
import { udpRelay } from '../support/udp-relay.mjs';
import { callStats, openCall, waitUntil } from './call-support.mjs';

const hasCoturn = spawnSync('sh', ['-c', 'command -v turnserver'], { stdio: 'ignore' }).status === 0;

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

/**
 * Routes a page's XMPP WebSocket through the test: what the page sends is recorded, the server's
 * STUN/TURN port is rewritten to `turnPort`, `drop()` closes the socket, `blocked` refuses new ones.
 */
function xmppWire(turnPort) {
  const wire = {
    sent: /** @type {string[]} */ ([]),
    blocked: false,
    /** @type {import('playwright-core').WebSocketRoute | undefined} */ socket: undefined,
    drop: () => wire.socket?.close({ code: 4000, reason: 'test drops the socket' }),
    /** @param {import('playwright-core').Page} page */
    async attach(page) {
      await page.routeWebSocket(stack.service, (ws) => {
        if (wire.blocked) return void ws.close({ code: 4001, reason: 'network down' });
        const server = ws.connectToServer();
        wire.socket = ws;
        ws.onMessage((m) => {
          wire.sent.push(String(m));
          server.send(m);
        });
        server.onMessage((m) => {
          const text = String(m);
          ws.send(text.includes('urn:xmpp:extdisco:2') ? text.replace(new RegExp(`port=(["'])${stack.ports.turn}\\1`, 'g'), `port="${turnPort}"`) : text);
        });
      });
    },
  };
  return wire;
}

/** ICE restarts alice sent: transport-infos with fresh credentials and no candidates. */
const restartsSent = (wire) => wire.sent.filter((f) => /action=["']transport-info["']/.test(f) && /ufrag=/.test(f) && !f.includes('<candidate')).length;

async function flowing(side) {
  const first = await waitUntil(async () => (await callStats(side.page)).framesDecoded, 'remote video frames decoded');
  await waitUntil(async () => (await callStats(side.page)).framesDecoded > first + 10, 'frames to keep coming');
}

/** Alice calls, bob accepts, and video flows both ways. */
async function callConnected(a, b) {
  await Promise.all([a.ready(), b.ready()]);
  await a.page.getByRole('button', { name: 'Video call' }).click();
  await b.page.getByRole('button', { name: 'Accept' }).click();
  await flowing(a);
  await flowing(b);
}

const states = (side) => side.page.evaluate(() => window.ccEvents('cc-connection-change').map((d) => d.state));

describe('cc-call: network trouble', { skip: hasCoturn ? false : 'coturn is not installed (apt-get install coturn)' }, () => {
  it('media path cut: quality turns poor, ICE restarts, media and good quality resume; XMPP socket lost: media goes on, and a hang-up made offline arrives', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const relay = await udpRelay(stack.ports.turn);
    const wire = xmppWire(relay.port);
    const attrs = (me, peer) => ({ service: stack.service, jid: me.jid, password: me.password, with: peer.jid, video: '', 'ice-transport-policy': 'relay' });
    const a = await openCall(browser, pageUrl(web.origin, attrs(alice, bob), 'cc-call'), { setup: (page) => wire.attach(page) });
    const b = await openCall(browser, pageUrl(web.origin, attrs(bob, alice), 'cc-call'));
    try {
      await callConnected(a, b);
      const status = a.page.getByRole('timer', { name: 'Call status' });
      assert.equal((await callStats(a.page)).relay, true, 'alice\'s media goes through the relay');
      // The indicator rates the first stats sample: on loopback, good.
      const quality = a.page.getByLabel('Network quality');
      await quality.getByText('Network: good').waitFor();
      assert.equal(await quality.getAttribute('data-q'), 'good');

      // 1. The XMPP socket drops: the session comes back, the call never notices.
      const before = (await callStats(b.page)).framesDecoded;
      wire.drop();
      await waitUntil(async () => (await states(a)).slice(-2).join() === 'offline,online', 'alice offline, then online again');
      await flowing(b);
      assert.ok((await callStats(b.page)).framesDecoded > before);
      assert.deepEqual(await a.states(), ['ringing', 'connecting', 'active'], 'the call went on');

      // 2. The media path drops: the element says so, restarts ICE, and the picture comes back.
      const ufrag = (await callStats(a.page)).ufrag;
      relay.cut = true;
      await status.getByText('Reconnecting…').waitFor({ timeout: 30_000 });
      await waitUntil(() => restartsSent(wire) > 0, 'an ICE restart on the wire', 30_000);
      // No packets at all: the indicator says poor, not the good of its last figures.
      await quality.getByText('Network: poor').waitFor();
      assert.equal(await quality.getAttribute('data-q'), 'poor');
      relay.cut = false;
      await status.getByText(/^\d+:\d\d$/).waitFor({ timeout: 45_000 });
      await flowing(a);
      await flowing(b);
      await quality.getByText('Network: good').waitFor({ timeout: 15_000 });
      const after = await callStats(a.page);
      assert.equal(after.relay, true);
      assert.notEqual(after.ufrag, ufrag, 'media flows on the new ICE generation');

      // 3. Hang up while the socket is down: the terminate goes out once the session is back.
      wire.blocked = true;
      wire.drop();
      await waitUntil(async () => (await states(a)).at(-1) === 'offline', 'alice offline');
      await a.page.getByRole('button', { name: 'Hang up' }).click();
      await a.page.getByText('Call ended').waitFor();
      assert.equal(await b.page.getByRole('button', { name: 'Hang up' }).count(), 1, 'bob is still in the call');
      wire.blocked = false;
      await b.page.getByText('The other side hung up').waitFor({ timeout: 45_000 });
      assert.deepEqual([...a.errors, ...b.errors], []);
    } finally {
      relay.close();
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('cc-call: the browser changes networks', () => {
  it('back online (the browser\'s online event): the caller restarts ICE on the live call and media keeps flowing on the new ICE generation', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    // The wire only records here: the TURN port stays the server's own.
    const wire = xmppWire(stack.ports.turn);
    const attrs = (me, peer) => ({ service: stack.service, jid: me.jid, password: me.password, with: peer.jid, video: '' });
    const a = await openCall(browser, pageUrl(web.origin, attrs(alice, bob), 'cc-call'), {
      setup: async (page) => {
        await wire.attach(page);
        await page.addInitScript(() => addEventListener('online', () => { window.ccOnlineEvents = (window.ccOnlineEvents ?? 0) + 1; }));
      },
    });
    const b = await openCall(browser, pageUrl(web.origin, attrs(bob, alice), 'cc-call'));
    try {
      await callConnected(a, b);
      const ufrag = (await callStats(a.page)).ufrag;
      const bobUfrag = (await callStats(b.page)).ufrag;
      assert.ok(ufrag && bobUfrag);
      assert.equal(restartsSent(wire), 0, 'no restart while nothing changed');

      // The browser goes offline and comes back (as on a switch of networks): it fires `online`.
      await a.ctx.setOffline(true);
      await a.ctx.setOffline(false);
      await waitUntil(() => a.page.evaluate(() => window.ccOnlineEvents === 1), 'the page seeing the browser back online');
      await waitUntil(() => restartsSent(wire) === 1, 'an ICE restart on the wire');
      await waitUntil(async () => (await callStats(a.page)).ufrag !== ufrag, 'alice on the new ICE generation');
      await flowing(a);
      await flowing(b);
      assert.notEqual((await callStats(b.page)).ufrag, bobUfrag, 'bob answered the restart with fresh credentials');
      assert.equal(restartsSent(wire), 1, 'one restart, not a retry loop');
      await a.page.getByRole('timer', { name: 'Call status' }).getByText(/^\d+:\d\d$/).waitFor();
      assert.deepEqual(await a.states(), ['ringing', 'connecting', 'active'], 'the call went on');
      assert.deepEqual(await b.states(), ['ringing', 'connecting', 'active']);
      assert.deepEqual([...a.errors, ...b.errors], []);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
