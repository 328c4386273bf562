// cc-call's media controls with Chromium's fake devices (three cameras — the second one is a depth
// camera whose frames no encoder takes, so the test switches to the third —, three microphones, three
// speakers, a fake screen): the device pickers and screen sharing, and what happens when the user
// refuses the camera or the microphone (a browser whose permission prompt is not faked).
import assert from 'node:assert/strict';
import { parse } from 'ltx';
import { after, before, describe, it } from 'node:test';
import { CHROMIUM_ARGS, befriend, launchBrowser, newAccount, pageUrl, stack, startStaticServer } from '../support/e2e.mjs';
import { callStats, openCall, waitUntil } from './call-support.mjs';

/** @type {import('playwright-core').Browser} */ let devices;
/** @type {import('playwright-core').Browser} */ let asking;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  const fake = CHROMIUM_ARGS.map((a) => (a === '--use-fake-device-for-media-stream' ? `${a}=device-count=3` : a));
  [devices, asking, web] = await Promise.all([
    launchBrowser(fake),
    // Without the fake prompt, the context's permissions decide (what is not granted is refused).
    launchBrowser(CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream')),
    startStaticServer(),
  ]);
});
after(async () => {
  await devices?.close();
  await asking?.close();
  await web?.close();
});

const attrs = (me, peer) => ({ service: stack.service, jid: me.jid, password: me.password, with: peer.jid });

/** Labels of the tracks of alice's own preview (what she sees she sends). */
const previewLabels = (page) => page.evaluate(() => document.querySelector('cc-call').shadowRoot.querySelector('video.local')?.srcObject?.getTracks().map((t) => t.label) ?? []);
const localAudioLabel = (page) => page.evaluate(() => {
  // The audio track is in the preview stream too, but the preview only exists with video.
  const v = document.querySelector('cc-call').shadowRoot.querySelector('video.local');
  return v?.srcObject?.getAudioTracks()[0]?.label;
});

async function flowing(page, key = 'framesDecoded', growth = 10) {
  const first = await waitUntil(async () => (await callStats(page))[key], `${key} to grow`);
  await waitUntil(async () => (await callStats(page))[key] > first + growth, `${key} to keep growing`);
}

/** Width/height of the video bob receives: the camera is 4:3, the fake screen 16:9, at any scale. */
const aspect = async (page) => {
  const s = await callStats(page);
  return s.frameHeight ? Math.round((s.frameWidth / s.frameHeight) * 100) / 100 : 0;
};

async function connect(browser, alice, bob, { video = true, context, setup } = {}) {
  const a = await openCall(browser, pageUrl(web.origin, { ...attrs(alice, bob), ...(video ? { video: '' } : {}) }, 'cc-call'), { context: context?.alice, setup });
  const b = await openCall(browser, pageUrl(web.origin, attrs(bob, alice), 'cc-call'), { context: context?.bob });
  await Promise.all([a.ready(), b.ready()]);
  await a.page.getByRole('button', { name: video ? 'Video call' : 'Audio call' }).click();
  await b.page.getByRole('button', { name: 'Accept' }).click();
  return { a, b };
}

describe('cc-call: devices and screen sharing', () => {
  it('pickers list the fake devices and switch camera, microphone and speaker in the call; Share screen replaces the camera and reverts', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const { a, b } = await connect(devices, alice, bob);
    await flowing(b.page);
    const options = (name) => a.page.getByRole('combobox', { name }).locator('option').allTextContents();
    assert.deepEqual(await options('Camera'), ['fake_device_0', 'fake_device_1', 'fake_device_2']);
    assert.deepEqual(await options('Microphone'), ['Fake Default Audio Input', 'Fake Audio Input 1', 'Fake Audio Input 2']);
    assert.deepEqual(await options('Speaker'), ['Fake Default Audio Output', 'Fake Audio Output 1', 'Fake Audio Output 2']);
    assert.deepEqual(await previewLabels(a.page), ['Fake Default Audio Input', 'fake_device_0']);

    // Camera: the preview shows the other one and bob keeps getting pictures (the old track is stopped).
    await a.page.getByRole('combobox', { name: 'Camera' }).selectOption({ label: 'fake_device_2' });
    await waitUntil(async () => (await previewLabels(a.page)).includes('fake_device_2'), 'the third camera in the preview');
    await flowing(b.page);
    // Microphone: likewise, and bob keeps hearing alice.
    await a.page.getByRole('combobox', { name: 'Microphone' }).selectOption({ label: 'Fake Audio Input 1' });
    await waitUntil(async () => (await localAudioLabel(a.page)) === 'Fake Audio Input 1', 'the other microphone');
    await flowing(b.page, 'audioBytesReceived', 2000);
    assert.equal(await a.page.getByRole('combobox', { name: 'Camera' }).inputValue(),
      await a.page.getByRole('combobox', { name: 'Camera' }).locator('option', { hasText: 'fake_device_2' }).getAttribute('value'), 'the picker shows the camera in use');
    // Speaker: bob's voice plays on the chosen output.
    const speaker = a.page.getByRole('combobox', { name: 'Speaker' });
    await speaker.selectOption({ label: 'Fake Audio Output 1' });
    const sinkWanted = await speaker.inputValue();
    await waitUntil(() => a.page.evaluate((id) => [...document.querySelector('cc-call').shadowRoot.querySelectorAll('.remote video, .remote audio')]
      .every((m) => m.sinkId === id), sinkWanted), 'remote media on the chosen speaker');

    // Screen: bob's picture turns 16:9, the button is pressed; pressing it again brings the camera back.
    assert.equal(await aspect(b.page), 1.33);
    const share = a.page.getByRole('button', { name: 'Share screen' });
    await share.click();
    await waitUntil(async () => (await aspect(b.page)) === 1.78, 'bob receiving the screen');
    assert.equal(await share.getAttribute('aria-pressed'), 'true');
    assert.ok((await previewLabels(a.page)).some((l) => l.startsWith('screen:')), 'alice sees what she shares');
    await share.click();
    await waitUntil(async () => (await aspect(b.page)) === 1.33, 'bob receiving the camera again');
    assert.equal(await share.getAttribute('aria-pressed'), 'false');
    assert.ok((await previewLabels(a.page)).includes('fake_device_2'), 'the chosen camera is back');
    await flowing(b.page);
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('cc-call: refused camera or microphone', () => {
  it('camera refused: a clear message and the video call goes on with audio; nothing allowed: the call still connects to listen', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const context = { alice: { permissions: ['microphone'] }, bob: { permissions: ['microphone', 'camera'] } };
    const { a, b } = await connect(asking, alice, bob, { context });
    await a.page.getByRole('status').getByText('Camera unavailable (permission denied): continuing with audio only.').waitFor();
    await flowing(b.page, 'audioBytesReceived', 2000);
    await flowing(a.page);
    assert.equal((await callStats(b.page)).framesDecoded, 0, 'alice sends no video');
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await b.page.getByText('The other side hung up').waitFor();

    // Microphone refused too: alice can still listen.
    await a.ctx.clearPermissions();
    await a.page.getByRole('button', { name: 'Close' }).click();
    await b.page.getByRole('button', { name: 'Close' }).click();
    await a.page.getByRole('button', { name: 'Audio call' }).click();
    await b.page.getByRole('button', { name: 'Accept' }).click();
    await a.page.getByRole('status').getByText('Microphone unavailable (permission denied): you can still hear the other side.').waitFor();
    await flowing(a.page, 'audioBytesReceived', 2000);
    assert.equal((await callStats(b.page)).audioBytesReceived, 0, 'alice sends no sound');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.close(), b.close()]);
  });
});

/**
 * Runs in alice's page: the browser's device state, as getUserMedia reports it when a device is
 * absent. `window.ccMissing`: 'video' (no camera) or 'all' (no camera, no microphone).
 */
function missingDevices() {
  window.ccMissing = 'video';
  const md = navigator.mediaDevices;
  const real = md.getUserMedia.bind(md);
  md.getUserMedia = async (c) => {
    if (window.ccMissing === 'all' || (c?.video && window.ccMissing === 'video')) throw new DOMException('Requested device not found', 'NotFoundError');
    return real(c);
  };
}

/** The contents of the last session-initiate alice sent: media and who sends it (XEP-0166 senders). */
function initiated(sent) {
  const frame = sent.findLast((f) => /action=["']session-initiate["']/.test(f));
  assert.ok(frame, 'a session-initiate on the wire');
  return parse(frame).getChild('jingle').getChildren('content')
    .map((c) => ({ media: c.getChild('description').attrs.media, senders: c.attrs.senders ?? 'both' }));
}

describe('cc-call: no camera or microphone on the device', () => {
  it('no camera: a clear message, the video call goes on with audio and an avatar; no device at all: the call connects to listen and watch', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const { a, b } = await connect(devices, alice, bob, { setup: (page) => page.addInitScript(missingDevices) });
    await a.page.getByRole('status').getByText('Camera unavailable (no device found): continuing with audio only.').waitFor();
    await flowing(b.page, 'audioBytesReceived', 2000);
    await flowing(a.page);
    assert.deepEqual(initiated(a.sent), [{ media: 'audio', senders: 'both' }, { media: 'video', senders: 'responder' }], 'alice offers to receive video only');
    // Bob sees alice as her avatar beside her name, no video tile; alice has no preview of herself.
    const tile = b.page.locator('cc-call .remote');
    await tile.locator('.avatar').waitFor();
    assert.equal(await tile.locator('.label').textContent(), alice.jid);
    assert.equal(await b.page.getByLabel(`Video of ${alice.jid}`).count(), 0);
    assert.equal(await a.page.getByLabel('Your camera').count(), 0);
    assert.equal((await callStats(b.page)).framesDecoded, 0, 'alice sends no video');
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await b.page.getByText('The other side hung up').waitFor();

    // Neither camera nor microphone: alice still hears and sees bob.
    await a.page.evaluate(() => { window.ccMissing = 'all'; });
    await a.page.getByRole('button', { name: 'Close' }).click();
    await b.page.getByRole('button', { name: 'Close' }).click();
    await a.page.getByRole('button', { name: 'Video call' }).click();
    await b.page.getByRole('button', { name: 'Accept' }).click();
    await a.page.getByRole('status').getByText('Microphone and camera unavailable (no device found): you can still hear and see the other side.').waitFor();
    await flowing(a.page);
    await flowing(a.page, 'audioBytesReceived', 2000);
    assert.deepEqual(initiated(a.sent), [{ media: 'audio', senders: 'responder' }, { media: 'video', senders: 'responder' }], 'alice offers to receive only');
    await a.page.getByLabel(`Video of ${bob.jid}`).waitFor();
    const bobGets = await callStats(b.page);
    assert.equal(bobGets.audioBytesReceived + bobGets.framesDecoded, 0, 'alice sends nothing');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('cc-call: picture in picture', () => {
  it('Picture in picture shows the remote video in its own window and the button takes it back; hanging up ends it', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const { a, b } = await connect(devices, alice, bob);
    await flowing(a.page);
    // The element in picture in picture: the page sees the cc-call (shadow DOM retargets), its root the video.
    const inPip = () => a.page.evaluate(() => {
      const el = document.querySelector('cc-call');
      return document.pictureInPictureElement === el ? el.shadowRoot.pictureInPictureElement?.getAttribute('aria-label') : document.pictureInPictureElement;
    });
    const pip = a.page.getByRole('button', { name: 'Picture in picture' });
    assert.equal(await inPip(), null);
    assert.equal(await pip.getAttribute('aria-pressed'), 'false');
    await pip.click();
    await waitUntil(async () => (await inPip()) === `Video of ${bob.jid}`, 'bob\'s video in picture in picture');
    await waitUntil(async () => (await pip.getAttribute('aria-pressed')) === 'true', 'the button pressed');
    await pip.click();
    await waitUntil(async () => (await inPip()) === null, 'back from picture in picture');
    assert.equal(await pip.getAttribute('aria-pressed'), 'false');

    // (A third entry right after a second exit was refused by Chromium now and then in CI runs, so
    // the button following an exit made elsewhere is not part of this test.)
    await pip.click();
    await waitUntil(async () => (await inPip()) === `Video of ${bob.jid}`, 'in picture in picture again');
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await a.page.getByText('Call ended').waitFor();
    await waitUntil(async () => (await inPip()) === null, 'no picture in picture after the call');
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.close(), b.close()]);
  });
});
