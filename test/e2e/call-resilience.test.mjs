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

const states = (side) => side.page.evaluate(() => window.ccEvents('cc-connection-change').map((d) => d.state));

describe('cc-call: network trouble', { skip: hasCoturn ? false : 'coturn is not installed (apt-get install coturn)' }, () => {
  it('media path cut: ICE restarts and media resumes; XMPP socket lost: media goes on, and a hang-up made offline arrives', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const relay = await udpRelay(stack.ports.turn);
    const wire = xmppWire(relay.port);
    const attrs = (me, peer) => ({ service: stack.service, jid: me.jid, password: me.password, with: peer.jid, video: '', 'ice-transport-policy': 'relay' });
    const a = await openCall(browser, pageUrl(web.origin, attrs(alice, bob), 'cc-call'), { setup: (page) => wire.attach(page) });
    const b = await openCall(browser, pageUrl(web.origin, attrs(bob, alice), 'cc-call'));
    try {
      await Promise.all([a.ready(), b.ready()]);
      await a.page.getByRole('button', { name: 'Video call' }).click();
      await b.page.getByRole('button', { name: 'Accept' }).click();
      await flowing(a);
      await flowing(b);
      const status = a.page.getByRole('timer', { name: 'Call status' });
      assert.equal((await callStats(a.page)).relay, true, 'alice\'s media goes through the relay');

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
      relay.cut = false;
      await status.getByText(/^\d+:\d\d$/).waitFor({ timeout: 45_000 });
      await flowing(a);
      await flowing(b);
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
