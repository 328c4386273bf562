// <cc-call> between browser contexts (one per user or device) with Chromium's fake camera and
// microphone, through the built dist/cc.js, against the real Prosody. Assertions are on what the
// user sees and on what the wire carries (WebRTC statistics), never on elapsed time.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { client, xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, pageUrl, stack, startStaticServer, unique, until, writeRoster } from '../support/e2e.mjs';
import { solidPng } from '../support/png.mjs';
import { callStats, openCall, steadyWhileFlowing, waitUntil } from './call-support.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const open = (me, attrs = {}) => openCall(browser, pageUrl(web.origin, { service: stack.service, jid: me.jid, password: me.password, ...attrs }, 'cc-call'));

describe('cc-call: 1:1 video call', () => {
  it('accept → both decode remote video; mute and camera off stop those packets; hang-up ends both and releases every track', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await open(alice, { with: bob.jid, video: '' });
    const b = await open(bob, { with: alice.jid });
    await a.ready();
    await b.ready();

    await a.page.getByRole('button', { name: 'Video call' }).click();
    // No roster name: the dialog names the caller by the address's local part.
    await b.page.getByRole('alertdialog', { name: 'Incoming call' }).getByText(alice.user, { exact: true }).waitFor();
    await b.page.getByRole('button', { name: 'Accept' }).click();

    // Both sides see the other's video: frames decoded keep growing.
    for (const side of [a, b]) {
      const first = await waitUntil(async () => (await callStats(side.page)).framesDecoded, 'remote video frames decoded');
      await waitUntil(async () => (await callStats(side.page)).framesDecoded > first, 'more remote frames');
      await side.page.getByRole('timer', { name: 'Call status' }).getByText(/^\d+:\d\d$/).waitFor();
    }
    const setup = await b.page.evaluate(() => window.ccFirstFrameAfterClick());
    console.log(`# call setup, Accept click → first remote frame at the callee: ${setup.toFixed(0)} ms`);
    assert.deepEqual(await a.states(), ['ringing', 'connecting', 'active']);
    assert.deepEqual(await b.states(), ['ringing', 'connecting', 'active']);
    assert.deepEqual(await b.events('cc-call-incoming'), [{ from: alice.jid, video: true }]);

    // Mute: alice's outbound audio stops growing while her video keeps flowing.
    await a.page.getByRole('button', { name: 'Mute microphone' }).click();
    assert.equal(await a.page.getByRole('button', { name: 'Mute microphone' }).getAttribute('aria-pressed'), 'true');
    const audioStill = await steadyWhileFlowing(a.page, 'audioBytesSent', 'videoBytesSent', 20_000);
    const videoNow = (await callStats(a.page)).videoBytesSent;
    await waitUntil(async () => (await callStats(a.page)).videoBytesSent > videoNow + 20_000, 'video to keep flowing');
    assert.equal((await callStats(a.page)).audioBytesSent, audioStill, 'no audio bytes while muted');
    await a.page.getByRole('button', { name: 'Mute microphone' }).click();
    await waitUntil(async () => (await callStats(a.page)).audioBytesSent > audioStill, 'audio to resume after unmute');

    // Camera off: bob stops receiving alice's video frames while her audio keeps arriving.
    await a.page.getByRole('button', { name: 'Turn camera off' }).click();
    const framesStill = await steadyWhileFlowing(b.page, 'framesDecoded', 'audioBytesReceived', 5_000);
    const audioNow = (await callStats(b.page)).audioBytesReceived;
    await waitUntil(async () => (await callStats(b.page)).audioBytesReceived > audioNow + 5_000, 'audio to keep arriving');
    assert.equal((await callStats(b.page)).framesDecoded, framesStill, 'no video frames while the camera is off');
    assert.equal(await a.page.evaluate(() => window.ccLiveTracks().filter((t) => t.kind === 'video' && t.local).length), 0, 'camera released');

    // Hang up from alice: both sides end, every track (local and remote) is stopped.
    await a.page.evaluate(() => window.ccCollectTracks());
    await b.page.evaluate(() => window.ccCollectTracks());
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await a.page.getByText('Call ended').waitFor();
    await b.page.getByText('The other side hung up').waitFor();
    for (const side of [a, b]) {
      const tracks = await side.page.evaluate(() => window.ccCollectedTracks());
      assert.ok(tracks.length >= 2, 'tracks were collected');
      assert.deepEqual(tracks.filter((t) => t.readyState !== 'ended'), [], 'every track ended');
    }
    const [endA] = await a.events('cc-call-ended');
    const [endB] = await b.events('cc-call-ended');
    assert.equal(endA.reason, 'hangup');
    assert.equal(endB.reason, 'remote-hangup');
    assert.ok(endA.duration >= 0 && Number.isInteger(endA.duration));
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('cc-call: who is calling', () => {
  it('the incoming-call dialog shows the caller\'s roster name and published picture', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    // Bob named alice in his roster (written while nobody is logged in, as befriend left it: mutual).
    writeRoster(bob, [{ jid: alice.jid, name: 'Alice Liddell' }]);
    // Alice published a picture (XEP-0084) from another client, as other XMPP clients do.
    const x = client({ service: stack.service, domain: stack.domain, username: alice.user, password: alice.password, resource: unique('node') });
    x.on('error', () => {});
    await x.start();
    const png = solidPng(8, [30, 160, 60]);
    const id = createHash('sha1').update(png).digest('hex');
    const publish = (node, payload) => x.iqCaller.request(xml('iq', { type: 'set' }, xml('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' },
      xml('publish', { node }, xml('item', { id }, payload)))));
    await until(async () => {
      await publish('urn:xmpp:avatar:data', xml('data', { xmlns: 'urn:xmpp:avatar:data' }, png.toString('base64')));
      await publish('urn:xmpp:avatar:metadata', xml('metadata', { xmlns: 'urn:xmpp:avatar:metadata' }, xml('info', { id, type: 'image/png', bytes: String(png.length) })));
      return true;
    }, 'alice\'s picture published');
    await x.stop();

    const a = await open(alice, { with: bob.jid });
    const b = await open(bob, { with: alice.jid });
    await Promise.all([a.ready(), b.ready()]);
    await a.page.getByRole('button', { name: 'Audio call' }).click();
    const dialog = b.page.getByRole('alertdialog', { name: 'Incoming call' });
    await dialog.getByText('Alice Liddell', { exact: true }).waitFor();
    assert.equal(await dialog.getByText(alice.jid).count(), 0, 'the name, not the bare address');
    await waitUntil(() => dialog.locator('img.avatar').evaluate((img) => img.complete && img.naturalWidth === 8).catch(() => false), 'alice\'s picture in the dialog');
    await b.page.getByRole('button', { name: 'Decline' }).click();
    await a.page.getByText('Call declined').waitFor();
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('cc-call: ringing on every device (XEP-0353)', () => {
  it("rings bob's two devices; bob answers on one and the other stops ringing", async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await open(alice, { with: bob.jid });
    const b1 = await open(bob, { with: alice.jid });
    const b2 = await open(bob, { with: alice.jid });
    await Promise.all([a.ready(), b1.ready(), b2.ready()]);

    await a.page.getByRole('button', { name: 'Audio call' }).click();
    await b1.page.getByRole('button', { name: 'Accept' }).waitFor();
    await b2.page.getByRole('button', { name: 'Accept' }).waitFor();
    await a.page.getByText('Ringing…').waitFor();
    await b1.page.getByRole('button', { name: 'Accept' }).click();

    await b2.page.getByText('Answered on another device').waitFor();
    assert.equal(await b2.page.getByRole('button', { name: 'Accept' }).count(), 0);
    await waitUntil(async () => (await callStats(a.page)).audioBytesReceived > 0, 'audio from bob at alice');
    await waitUntil(async () => (await callStats(b1.page)).audioBytesReceived > 0, 'audio from alice at bob');
    assert.deepEqual(await b2.states(), ['ringing', 'ended']);
    assert.equal((await b2.events('cc-call-ended'))[0].reason, 'answered-elsewhere');
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await b1.page.getByText('The other side hung up').waitFor();
    await Promise.all([a.close(), b1.close(), b2.close()]);
  });
});

describe('cc-call: calls that do not connect', () => {
  it('decline: the caller sees it declined', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await open(alice, { with: bob.jid });
    const b = await open(bob, { with: alice.jid });
    await Promise.all([a.ready(), b.ready()]);
    await a.page.getByRole('button', { name: 'Audio call' }).click();
    await b.page.getByRole('button', { name: 'Decline' }).click();
    await a.page.getByText('Call declined').waitFor();
    assert.equal((await a.events('cc-call-ended'))[0].reason, 'declined');
    assert.equal((await b.events('cc-call-ended'))[0].reason, 'declined');
    await Promise.all([a.close(), b.close()]);
  });

  it('timeout: an unanswered call gives up after the answer timeout and the callee sees a missed call', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await open(alice, { with: bob.jid, 'answer-timeout': '1' });
    const b = await open(bob, { with: alice.jid });
    await Promise.all([a.ready(), b.ready()]);
    await a.page.getByRole('button', { name: 'Audio call' }).click();
    await b.page.getByRole('button', { name: 'Accept' }).waitFor();
    await a.page.getByText('No answer').waitFor();
    await b.page.getByText('Missed call').waitFor();
    assert.equal((await a.events('cc-call-ended'))[0].reason, 'timeout');
    await Promise.all([a.close(), b.close()]);
  });

  it('busy: a second caller is refused while bob already has a call', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const carol = newAccount('carol');
    await befriend(alice, bob, carol);
    const a = await open(alice, { with: bob.jid });
    const b = await open(bob, { with: alice.jid });
    const c = await open(carol, { with: bob.jid });
    await Promise.all([a.ready(), b.ready(), c.ready()]);
    await a.page.getByRole('button', { name: 'Audio call' }).click();
    await b.page.getByRole('button', { name: 'Accept' }).waitFor();
    await c.page.getByRole('button', { name: 'Audio call' }).click();
    await c.page.getByText('Busy: already in another call').waitFor();
    assert.equal((await c.events('cc-call-ended'))[0].reason, 'busy');
    // Bob's ringing call from alice is untouched.
    assert.equal((await b.events('cc-call-incoming')).length, 1);
    await b.page.getByRole('button', { name: 'Accept' }).waitFor();
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('retract: the caller hangs up before an answer and the callee stops ringing', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await open(alice, { with: bob.jid });
    const b = await open(bob, { with: alice.jid });
    await Promise.all([a.ready(), b.ready()]);
    await a.page.getByRole('button', { name: 'Audio call' }).click();
    await b.page.getByRole('button', { name: 'Accept' }).waitFor();
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await b.page.getByText('Call cancelled').waitFor();
    assert.equal(await b.page.getByRole('button', { name: 'Accept' }).count(), 0);
    assert.deepEqual(await b.states(), ['ringing', 'ended']);
    await Promise.all([a.close(), b.close()]);
  });
});
