// The server chain of web push, against the harness's real Prosody: an account registers a browser
// subscription with the push bridge and enables XEP-0357; its socket dies; a message arrives; Prosody
// publishes to the bridge; the bridge sends an encrypted Web Push to a local HTTPS push service, where
// the test decrypts it with the subscription's keys.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { startPushBridge } from '../../server/push-bridge/bridge.mjs';
import { newAccount, rawClient, stack, unique } from '../support/e2e.mjs';
import { browserKeys, decryptPush, startMockPushService, verifyVapid } from '../support/push-service.mjs';

const BRIDGE = 'push.localhost';
const NS = 'urn:x-cc:push:0';

/** @type {Awaited<ReturnType<typeof startMockPushService>>} */ let pushService;
/** @type {Awaited<ReturnType<typeof startPushBridge>>} */ let bridge;
/** @type {Record<string, any>[]} */ const logs = [];
const dataDir = mkdtempSync(join(tmpdir(), 'cc-push-bridge-'));
/** @type {(() => Promise<unknown>)[]} */ const stops = [];

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
  for (const stop of stops) await stop();
  await bridge?.stop();
  await pushService?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A logged-in, available client with stream management (XEP-0198), as the widget is. */
async function login(/** @type {{ user: string, password: string }} */ acct) {
  const { x, stop } = await rawClient(acct);
  stops.push(stop);
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

  for (const status of [404, 410]) {
    it(`a push service answering ${status} makes the bridge delete the subscription and send nothing more to it`, async () => {
      const { bob, ax, reg } = await offlineBobWithPush();
      pushService.script(reg.path, status);
      const before = (await bridge.health()).subscriptions;
      await say(ax, bob.jid, 'first');
      await until(() => logs.find((l) => l.msg === 'subscription removed' && l.node === reg.node), 'the subscription to be removed');
      assert.equal(logs.find((l) => l.msg === 'subscription removed' && l.node === reg.node).status, status);
      assert.equal((await bridge.health()).subscriptions, before - 1);
      await say(ax, bob.jid, 'second');
      // Prosody publishes again; the bridge no longer knows the node and answers item-not-found.
      await until(() => logs.find((l) => l.msg === 'publish for unknown node' && l.node === reg.node), 'the second publish to reach the bridge');
      assert.equal(pushService.to(reg.path).length, 1);
    });
  }

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

  it('the health check answers over HTTP on loopback', async () => {
    assert.match(bridge.healthUrl, /^http:\/\/127\.0\.0\.1:\d+\/health$/);
    const res = await fetch(bridge.healthUrl);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const h = await res.json();
    assert.equal(h.status, 'ok');
    assert.equal(h.xmpp, 'online');
    assert.equal(h.jid, BRIDGE);
    assert.equal(h.vapidPublicKey, bridge.vapidPublicKey);
    assert.equal(h.subscriptions, (await bridge.health()).subscriptions);
    assert.equal((await fetch(new URL('/other', bridge.healthUrl))).status, 404);
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

  it('the same browser registering again (a fresh login) keeps its node and secret', async () => {
    const carol = newAccount('carol');
    const cx = await login(carol);
    const keys = browserKeys();
    const endpoint = `${pushService.origin}/push/${unique('same')}`;
    const again = async () => (await cx.iqCaller.request(xml('iq', { type: 'set', to: BRIDGE },
      xml('register', { xmlns: NS }, xml('subscription', {}, JSON.stringify(keys.subscription(endpoint)))))))
      .getChild('registered', NS).attrs;
    const first = await again();
    assert.ok(first.secret);
    assert.deepEqual(await again(), first);
    const other = await register(cx);
    assert.notEqual(other.secret, first.secret, 'another browser gets its own secret');
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

  // Last: it takes over the component address from the in-process bridge.
  it('run as its own process (main.mjs, settings from the environment): a restart keeps subscriptions and keys', async () => {
    await bridge.stop();
    const dir = mkdtempSync(join(tmpdir(), 'cc-push-bridge-proc-'));
    const ca = join(dir, 'push-service-ca.pem');
    writeFileSync(ca, pushService.cert);
    const env = {
      ...process.env, CC_PUSH_SERVICE: `xmpp://127.0.0.1:${stack.ports.component}`, CC_PUSH_DOMAIN: BRIDGE,
      CC_PUSH_SECRET: stack.secrets.component, CC_PUSH_DATA_DIR: join(dir, 'data'), CC_PUSH_HEALTH_PORT: '0',
      CC_PUSH_ENDPOINT_HOSTS: '127.0.0.1', NODE_EXTRA_CA_CERTS: ca,
    };
    /** @type {import('node:child_process').ChildProcess[]} */
    const children = [];
    /** Starts the bridge process; resolves once it is online, with its log lines and its health over HTTP. */
    const run = async () => {
      const child = spawn(process.execPath, ['server/push-bridge/main.mjs'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      /** @type {Record<string, any>[]} */
      const lines = [];
      createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }).on('line', (l) => { try { lines.push(JSON.parse(l)); } catch { /* not a log line */ } });
      const started = await until(() => lines.find((l) => l.msg === 'push bridge started'), 'the bridge process to start');
      const health = async () => (await fetch(started.health)).json();
      await until(async () => (await health()).xmpp === 'online', 'the bridge process to be online');
      const stop = () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); });
      return { child, lines, health, stop };
    };
    try {
      const first = await run();
      const bob = newAccount('bob');
      const alice = newAccount('alice');
      const bx = await login(bob);
      const reg = await register(bx);
      await enable(bx, reg);
      const before = await first.health();
      assert.equal(before.subscriptions, 1);
      const code = await first.stop();
      assert.equal(code, 0);
      assert.ok(first.lines.find((l) => l.msg === 'push bridge stopped'));

      const second = await run();
      const after = await second.health();
      assert.equal(after.subscriptions, 1);
      assert.equal(after.vapidPublicKey, before.vapidPublicKey);
      assert.ok(!second.lines.find((l) => l.msg === 'generated VAPID keys'), 'the second process reuses the stored keys');
      dropUncleanly(bx);
      const ax = await login(alice);
      await say(ax, bob.jid, 'after a process restart');
      const [req] = await until(() => pushService.to(reg.path).length && pushService.to(reg.path), 'a push from the restarted process');
      assert.equal(verifyVapid(req.headers.authorization, pushService.origin).publicKey, before.vapidPublicKey);
      assert.equal(JSON.parse(decryptPush(req.body, reg.keys)).text, 'after a process restart');
      await second.stop();
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
