// The server chain of web push, against the harness's real Prosody: an account registers a browser
// subscription with the push bridge and enables XEP-0357; its socket dies; a message arrives; Prosody
// publishes to the bridge; the bridge sends an encrypted Web Push to a local HTTPS push service, where
// the test decrypts it with the subscription's keys.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { client, xml } from '@xmpp/client';
import { startPushBridge } from '../../server/push-bridge/bridge.mjs';
import { newAccount, stack, unique } from '../support/e2e.mjs';
import { browserKeys, decryptPush, startMockPushService, verifyVapid } from '../support/push-service.mjs';

const BRIDGE = 'push.localhost';
const NS = 'urn:x-cc:push:0';

/** @type {Awaited<ReturnType<typeof startMockPushService>>} */ let pushService;
/** @type {Awaited<ReturnType<typeof startPushBridge>>} */ let bridge;
/** @type {Record<string, any>[]} */ const logs = [];
const dataDir = mkdtempSync(join(tmpdir(), 'cc-push-bridge-'));
/** @type {any[]} */ const clients = [];

/** Polls until `fn` returns something truthy. */
async function until(/** @type {() => any} */ fn, /** @type {string} */ what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  pushService = await startMockPushService();
  bridge = await startPushBridge({
    service: `xmpp://127.0.0.1:${stack.ports.component}`, domain: BRIDGE, secret: stack.secrets.component,
    dataDir, healthPort: 0, endpointHosts: ['127.0.0.1'], agent: pushService.agent, retryBaseMs: 20,
    log: (e) => logs.push(e),
  });
  await until(async () => (await bridge.health()).xmpp === 'online', 'the bridge to be online');
});

after(async () => {
  for (const x of clients) await x.stop().catch(() => {});
  await bridge?.stop();
  await pushService?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A logged-in client with stream management (XEP-0198), as the widget is. */
async function login(/** @type {{ user: string, password: string }} */ acct) {
  const x = client({
    service: stack.service, domain: stack.domain, resource: unique('r'),
    // PLAIN on loopback, as the widget uses; SCRAM's key stretching in Node costs a second per login.
    credentials: (/** @type {any} */ auth) => auth({ username: acct.user, password: acct.password }, 'PLAIN'),
  });
  x.on('error', () => {});
  clients.push(x);
  await x.start();
  await x.send(xml('presence'));
  return x;
}

/** Registers a browser subscription with the bridge as `x`; returns node, secret and keys. */
async function register(/** @type {any} */ x, attrs = {}) {
  const keys = browserKeys();
  const path = `/push/${unique('sub')}`;
  const res = await x.iqCaller.request(xml('iq', { type: 'set', to: BRIDGE },
    xml('register', { xmlns: NS, ...attrs }, xml('subscription', {}, JSON.stringify(keys.subscription(pushService.origin + path))))));
  const reg = res.getChild('registered', NS);
  return { keys, path, node: reg.attrs.node, secret: reg.attrs.secret };
}

/** XEP-0357 enable toward the bridge, on the account's own server. */
function enable(/** @type {any} */ x, /** @type {{ node: string, secret: string }} */ r) {
  return x.iqCaller.request(xml('iq', { type: 'set' },
    xml('enable', { xmlns: 'urn:xmpp:push:0', jid: BRIDGE, node: r.node },
      xml('x', { xmlns: 'jabber:x:data', type: 'submit' },
        xml('field', { var: 'FORM_TYPE' }, xml('value', {}, 'http://jabber.org/protocol/pubsub#publish-options')),
        xml('field', { var: 'secret' }, xml('value', {}, r.secret))))));
}

/** Closes the WebSocket with no XMPP stream close, like a closed tab: the server keeps the session hibernating (XEP-0198). */
function dropUncleanly(/** @type {any} */ x) {
  x.reconnect.stop();
  x.socket.socket.close();
}

const say = (/** @type {any} */ from, /** @type {string} */ to, /** @type {string} */ text) =>
  from.send(xml('message', { to, type: 'chat', id: unique('m') }, xml('body', {}, text)));

/** A bob whose only session is hibernating with push enabled, and an alice to write to him. */
async function offlineBobWithPush(attrs = {}) {
  const alice = newAccount('alice');
  const bob = newAccount('bob');
  const bx = await login(bob);
  const reg = await register(bx, attrs);
  await enable(bx, reg);
  dropUncleanly(bx);
  const ax = await login(alice);
  return { alice, bob, ax, reg };
}

describe('push bridge: XEP-0357 from Prosody to Web Push', () => {
  it('bob enables push, drops offline; alice writes; the push service gets an encrypted push with her name and text', async () => {
    const { alice, bob, ax, reg } = await offlineBobWithPush();
    const text = `are you there? ${unique('t')}`;
    await say(ax, bob.jid, text);
    const [req] = await until(() => pushService.to(reg.path).length && pushService.to(reg.path), 'a push at the push service');
    assert.equal(req.headers['content-encoding'], 'aes128gcm');
    assert.equal(req.headers.ttl, '3600');
    assert.equal(req.headers.urgency, 'normal');
    const vapid = verifyVapid(req.headers.authorization, pushService.origin);
    assert.equal(vapid.publicKey, bridge.vapidPublicKey);
    const payload = JSON.parse(decryptPush(req.body, reg.keys));
    assert.equal(payload.kind, 'message');
    assert.equal(payload.sender, alice.jid);
    assert.equal(payload.conversation, alice.jid);
    assert.equal(payload.text, text);
  });

  it('a push service answering 410 makes the bridge delete the subscription and send nothing more to it', async () => {
    const { bob, ax, reg } = await offlineBobWithPush();
    pushService.script(reg.path, 410);
    const before = (await bridge.health()).subscriptions;
    await say(ax, bob.jid, 'first');
    await until(() => logs.find((l) => l.msg === 'subscription removed' && l.node === reg.node), 'the subscription to be removed');
    assert.equal((await bridge.health()).subscriptions, before - 1);
    await say(ax, bob.jid, 'second');
    // Prosody publishes again; the bridge no longer knows the node and answers item-not-found.
    await until(() => logs.find((l) => l.msg === 'publish for unknown node' && l.node === reg.node), 'the second publish to reach the bridge');
    assert.equal(pushService.to(reg.path).length, 1);
  });

  it('429/5xx answers are retried with backoff until the push service accepts', async () => {
    const { bob, ax, reg } = await offlineBobWithPush();
    pushService.script(reg.path, 503, 429);
    await say(ax, bob.jid, 'retry me');
    await until(() => logs.find((l) => l.msg === 'push sent' && l.node === reg.node), 'the push to be sent');
    assert.deepEqual(pushService.to(reg.path).map((r) => r.status), [503, 429, 201]);
    assert.equal(JSON.parse(decryptPush(pushService.to(reg.path)[2].body, reg.keys)).text, 'retry me');
  });

  it('subscriptions and the VAPID key survive a bridge restart', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const bx = await login(bob);
    const reg = await register(bx);
    await enable(bx, reg);
    const key = bridge.vapidPublicKey;
    const count = (await bridge.health()).subscriptions;
    await bridge.restart();
    await until(async () => (await bridge.health()).xmpp === 'online', 'the bridge to be back online');
    assert.equal((await bridge.health()).subscriptions, count);
    assert.equal(bridge.vapidPublicKey, key);
    dropUncleanly(bx);
    const ax = await login(alice);
    await say(ax, bob.jid, 'after the restart');
    const [req] = await until(() => pushService.to(reg.path).length && pushService.to(reg.path), 'a push after the restart');
    assert.equal(verifyVapid(req.headers.authorization, pushService.origin).publicKey, key);
    assert.equal(JSON.parse(decryptPush(req.body, reg.keys)).text, 'after the restart');
  });

  it('privacy mode: the push names the sender but carries no message text', async () => {
    const { alice, bob, ax, reg } = await offlineBobWithPush({ privacy: 'true' });
    const text = `secret plans ${unique('t')}`;
    await say(ax, bob.jid, text);
    const [req] = await until(() => pushService.to(reg.path).length && pushService.to(reg.path), 'a push');
    const plain = decryptPush(req.body, reg.keys);
    assert.equal(JSON.parse(plain).sender, alice.jid);
    assert.equal(JSON.parse(plain).text, undefined);
    assert.ok(!plain.includes('secret plans'));
  });

  it('an incoming call (XEP-0353 propose) is pushed as a call, urgent and short-lived', async () => {
    const { alice, bob, ax, reg } = await offlineBobWithPush();
    await ax.send(xml('message', { to: bob.jid, type: 'chat', id: unique('m') },
      xml('propose', { xmlns: 'urn:xmpp:jingle-message:0', id: unique('call') },
        xml('description', { xmlns: 'urn:xmpp:jingle:apps:rtp:1', media: 'audio' }),
        xml('description', { xmlns: 'urn:xmpp:jingle:apps:rtp:1', media: 'video' })),
      xml('store', { xmlns: 'urn:xmpp:hints' })));
    const [req] = await until(() => pushService.to(reg.path).length && pushService.to(reg.path), 'a call push');
    assert.equal(req.headers.urgency, 'high');
    assert.equal(req.headers.ttl, '60');
    const payload = JSON.parse(decryptPush(req.body, reg.keys));
    assert.equal(payload.kind, 'call');
    assert.equal(payload.video, true);
    assert.equal(payload.sender, alice.jid);
  });

  it('only the owner\'s server with the right secret can publish; others are refused', async () => {
    const bob = newAccount('bob');
    const mallory = newAccount('mallory');
    const bx = await login(bob);
    const reg = await register(bx);
    const mx = await login(mallory);
    const publish = (/** @type {string} */ secret) => xml('iq', { type: 'set', to: BRIDGE },
      xml('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' },
        xml('publish', { node: reg.node }, xml('item', {}, xml('notification', { xmlns: 'urn:xmpp:push:0' }))),
        xml('publish-options', {}, xml('x', { xmlns: 'jabber:x:data', type: 'submit' },
          xml('field', { var: 'FORM_TYPE' }, xml('value', {}, 'http://jabber.org/protocol/pubsub#publish-options')),
          xml('field', { var: 'secret' }, xml('value', {}, secret))))));
    await assert.rejects(mx.iqCaller.request(publish(reg.secret)), (e) => /** @type {any} */ (e).condition === 'forbidden');
    // Unregistering someone else's node is refused too; the owner can.
    await assert.rejects(mx.iqCaller.request(xml('iq', { type: 'set', to: BRIDGE }, xml('unregister', { xmlns: NS, node: reg.node }))),
      (e) => /** @type {any} */ (e).condition === 'item-not-found');
    await bx.iqCaller.request(xml('iq', { type: 'set', to: BRIDGE }, xml('unregister', { xmlns: NS, node: reg.node })));
    assert.equal(pushService.to(reg.path).length, 0);
  });
});
