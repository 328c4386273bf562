// A call through TURN only: ICE servers and short-lived credentials come from Prosody (XEP-0215,
// turn_external) and the relay is the dev stack's coturn. With iceTransportPolicy 'relay' no direct
// path is allowed, so media flowing at all proves the relay.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { befriend, launchBrowser, newAccount, pageUrl, stack, startStaticServer } from '../support/e2e.mjs';
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

describe('cc-call through TURN', { skip: hasCoturn ? false : 'coturn is not installed (apt-get install coturn)' }, () => {
  it('with relay-only ICE the call connects over coturn and carries video both ways', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const attrs = (me, peer) => ({ service: stack.service, jid: me.jid, password: me.password, with: peer.jid, 'ice-transport-policy': 'relay' });
    const a = await openCall(browser, pageUrl(web.origin, attrs(alice, bob), 'cc-call'));
    const b = await openCall(browser, pageUrl(web.origin, attrs(bob, alice), 'cc-call'));
    await Promise.all([a.ready(), b.ready()]);
    await a.page.getByRole('button', { name: 'Video call' }).click();
    await b.page.getByRole('button', { name: 'Accept' }).click();
    for (const side of [a, b]) {
      const first = await waitUntil(async () => (await callStats(side.page)).framesDecoded, 'remote video frames over the relay');
      await waitUntil(async () => (await callStats(side.page)).framesDecoded > first, 'more frames over the relay');
      assert.equal((await callStats(side.page)).relay, true, 'the selected candidate pair is a TURN relay');
    }
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await b.page.getByText('The other side hung up').waitFor();
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.close(), b.close()]);
  });
});
