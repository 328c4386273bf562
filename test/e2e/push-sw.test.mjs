// The built service worker (dist/cc-sw.js) in real Chromium: pushes delivered through the DevTools
// protocol become notifications; clicks reach the page; and turning push on in a browser without a
// reachable push service ends with a clear message instead of a hang.
import assert from 'node:assert/strict';
import { createECDH } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { xml } from '@xmpp/client';
import { startPushBridge } from '../../server/push-bridge/bridge.mjs';
import { buildPayload } from '../../server/push-bridge/protocol.mjs';
import { CHROMIUM_ARGS, launchBrowser, newAccount, rawClient, stack, until } from '../support/e2e.mjs';
import { startPushPageServer } from '../support/push-page.mjs';
import { browserKeys, decryptPush, startMockPushService } from '../support/push-service.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startPushPageServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startPushPageServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});


/** A VAPID public key (a P-256 point, base64url), as a site would put in the push attribute. */
function vapidKey() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return ecdh.getPublicKey().toString('base64url');
}

/** The payload exactly as the bridge builds it from a Prosody summary. */
const payload = (/** @type {Record<string, any>} */ p, privacy = false) =>
  JSON.stringify(buildPayload({ node: 'n', count: 1, kind: 'message', video: false, type: undefined, secret: undefined, body: undefined, sender: undefined, ...p }, { privacy, url: `${web.origin}/push.html` }));

/** A page with the service worker active, and a DevTools session that can deliver pushes to it. */
async function pushablePage() {
  const ctx = await browser.newContext();
  await ctx.grantPermissions(['notifications'], { origin: web.origin });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const cdp = await ctx.newCDPSession(page);
  /** @type {Map<string, string>} scope → registration id */
  const registrations = new Map();
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: rs }) => {
    for (const r of rs) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
  });
  await cdp.send('ServiceWorker.enable');
  await page.goto(`${web.origin}/push.html`);
  await page.locator('body[data-sw="ready"]').waitFor();
  const registrationId = await until(() => registrations.get(`${web.origin}/`), 'the service worker registration');
  const sw = await until(() => ctx.serviceWorkers().find((w) => w.url() === `${web.origin}/cc-sw.js`), 'the service worker');
  return {
    ctx, page, sw, errors,
    push: (/** @type {string} */ data) => cdp.send('ServiceWorker.deliverPushMessage', { origin: web.origin, registrationId, data }),
    notifications: () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
      .map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data, actions: /** @type {any} */ (n).actions?.map((/** @type {any} */ a) => a.title) }))),
  };
}

/** Dispatches `notificationclick` for the notification with `tag`, as a click on it (or its `action` button) would. */
function click(/** @type {import('playwright-core').Worker} */ sw, /** @type {string} */ tag, action = '') {
  return sw.evaluate(async ([t, a]) => {
    const s = /** @type {any} */ (self);
    const [n] = await s.registration.getNotifications({ tag: t });
    if (!n) throw new Error(`no notification ${t}`);
    s.dispatchEvent(new s.NotificationEvent('notificationclick', { notification: n, action: a }));
  }, [tag, action]);
}

describe('service worker: pushes become notifications', () => {
  it('a push shows sender and text, grouped by conversation; a second push updates the count', async () => {
    const p = await pushablePage();
    await p.push(payload({ sender: 'alice@localhost/phone', body: 'Lunch at noon?' }));
    const [first] = await until(async () => { const ns = await p.notifications(); return ns.length === 1 && ns; }, 'a notification');
    assert.equal(first.title, 'alice@localhost');
    assert.equal(first.body, 'Lunch at noon?');
    assert.equal(first.tag, 'cc-message:alice@localhost');

    await p.push(payload({ sender: 'alice@localhost/phone', body: 'Or one?' }));
    const [second] = await until(async () => { const ns = await p.notifications(); return ns[0]?.body.startsWith('Or one?') && ns; }, 'the updated notification');
    assert.equal(second.body, 'Or one?\n(2 new messages)');
    assert.equal((await p.notifications()).length, 1);

    // Another conversation gets its own notification.
    await p.push(payload({ sender: 'carol@localhost', body: 'hi' }));
    await until(async () => (await p.notifications()).length === 2, 'a second conversation');
    assert.deepEqual(p.errors, []);
    await p.ctx.close();
  });

  it('precaches the widget\'s files in a versioned cache and deletes older ones', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${web.origin}/push.html?register=no`);
    await page.evaluate(async () => { await (await caches.open('cc-precache-v0')).put('/old', new Response('old')); });
    await page.goto(`${web.origin}/push.html`);
    await page.locator('body[data-sw="ready"]').waitFor();
    const cached = await until(() => page.evaluate(async () => {
      const keys = await caches.keys();
      if (keys.includes('cc-precache-v0')) return null;
      const cache = keys.find((k) => k.startsWith('cc-precache-'));
      return cache && { cache, urls: (await (await caches.open(cache)).keys()).map((r) => new URL(r.url).pathname) };
    }), 'the precache');
    assert.equal(cached.cache, 'cc-precache-v1');
    assert.ok(cached.urls.some((u) => u === '/cc.js'), `cc.js is precached: ${cached.urls}`);
    await ctx.close();
  });

  it('privacy mode: the notification names the sender but shows no message text', async () => {
    const p = await pushablePage();
    await p.push(payload({ sender: 'alice@localhost/x', body: 'the secret plan' }, true));
    const [n] = await until(async () => { const ns = await p.notifications(); return ns.length === 1 && ns; }, 'a notification');
    assert.equal(n.title, 'alice@localhost');
    assert.equal(n.body, 'New message');
    assert.ok(!JSON.stringify(n).includes('secret plan'));
    await p.ctx.close();
  });

  it('an incoming call rings with Accept and Decline; Accept tells the open page to answer', async () => {
    const p = await pushablePage();
    await p.push(payload({ sender: 'alice@localhost/x', kind: 'call', video: true }));
    const [n] = await until(async () => { const ns = await p.notifications(); return ns.length === 1 && ns; }, 'a call notification');
    assert.equal(n.title, 'Incoming video call');
    assert.equal(n.body, 'alice@localhost');
    assert.deepEqual(n.actions, ['Accept', 'Decline']);
    await click(p.sw, n.tag, 'accept');
    await until(async () => (await p.page.locator('#opened').textContent()) === 'accept call alice@localhost', 'the page to answer the call');
    assert.equal((await p.notifications()).length, 0);
    await p.ctx.close();
  });

  it('clicking a message notification makes the open page open that conversation', async () => {
    const p = await pushablePage();
    await p.push(payload({ sender: 'bob@localhost/x', body: 'look' }));
    const [n] = await until(async () => { const ns = await p.notifications(); return ns.length === 1 && ns; }, 'a notification');
    await click(p.sw, n.tag);
    await until(async () => (await p.page.locator('#opened').textContent()) === 'open message bob@localhost', 'the page to open the conversation');
    await p.ctx.close();
  });

  it('with no page open, a click opens the page that enabled push, with that conversation', async () => {
    const p = await pushablePage();
    await p.push(payload({ sender: 'bob@localhost/x', body: 'look' }));
    const [n] = await until(async () => { const ns = await p.notifications(); return ns.length === 1 && ns; }, 'a notification');
    await p.page.close();
    // Chromium lets a worker open windows only during a real click on a notification, which no
    // automation can make; so the test records the URL the worker asks for and opens it itself.
    await p.sw.evaluate(() => {
      const s = /** @type {any} */ (self);
      const real = s.clients.openWindow.bind(s.clients);
      s.ccOpened = [];
      s.clients.openWindow = (/** @type {string} */ u) => { s.ccOpened.push(u); return real(u); };
    });
    await click(p.sw, n.tag);
    const [url] = await until(() => p.sw.evaluate(() => /** @type {any} */ (self).ccOpened.length && /** @type {any} */ (self).ccOpened), 'the worker to open a window');
    assert.equal(url, `${web.origin}/push.html?cc-open=bob%40localhost`);
    const page = await p.ctx.newPage();
    await page.goto(url);
    await until(async () => (await page.locator('#opened').textContent()) === 'open message bob@localhost', 'the new page to open the conversation');
    // The page drops the parameters, so a reload does not open it again.
    assert.equal(page.url(), `${web.origin}/push.html`);
    await p.ctx.close();
  });
});

describe('turning push on without a reachable push service', () => {
  it('ends with a clear message within the timeout, and the button works again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-push-profile-'));
    // A persistent profile: there Chromium's subscribe() waits for its (unreachable) push service forever.
    const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    try {
      await ctx.grantPermissions(['notifications'], { origin: web.origin });
      const bob = newAccount('bob');
      const page = ctx.pages()[0] ?? await ctx.newPage();
      // No bridge is needed: the browser fails before it would be asked.
      const q = new URLSearchParams({ service: stack.service, jid: bob.jid, password: bob.password, push: vapidKey(), 'push-service': 'push.localhost', timeout: '1500' });
      await page.goto(`${web.origin}/push.html?${q}`);
      await page.locator('body[data-connection="online"]').waitFor();
      await page.getByRole('button', { name: 'Enable notifications' }).click();
      await page.getByText('Turning notifications on…').waitFor();
      const status = page.locator('cc-push-control').getByRole('status');
      await until(async () => /No answer from this browser's push service within 2 s/.test((await status.textContent()) ?? ''), 'the timeout message');
      assert.equal(await page.getByRole('button', { name: 'Enable notifications' }).isEnabled(), true);
    } finally {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a browser that refuses push subscriptions outright gets the reason, not a hang', async () => {
    // Chromium refuses push in incognito-like contexts at once.
    const ctx = await browser.newContext();
    await ctx.grantPermissions(['notifications'], { origin: web.origin });
    const bob = newAccount('bob');
    const page = await ctx.newPage();
    const q = new URLSearchParams({ service: stack.service, jid: bob.jid, password: bob.password, push: vapidKey(), 'push-service': 'push.localhost', timeout: '20000' });
    await page.goto(`${web.origin}/push.html?${q}`);
    await page.locator('body[data-connection="online"]').waitFor();
    await page.getByRole('button', { name: 'Enable notifications' }).click();
    const status = page.locator('cc-push-control').getByRole('status');
    await until(async () => /push service refused the subscription/.test((await status.textContent()) ?? ''), 'the refusal message');
    await ctx.close();
  });
});

describe('turning push on and off from the page, through the real bridge and server', () => {
  it('Enable registers with the bridge and the server; Disable undoes it; a message then arrives as a push', async () => {
    const pushService = await startMockPushService();
    /** @type {Record<string, any>[]} */
    const logs = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-push-bridge-'));
    const bridge = await startPushBridge({
      service: `xmpp://127.0.0.1:${stack.ports.component}`, domain: 'push.localhost', secret: stack.secrets.component,
      dataDir, healthPort: 0, endpointHosts: ['127.0.0.1'], agent: pushService.agent, log: (e) => logs.push(e),
    });
    const ctx = await browser.newContext();
    try {
      await until(async () => (await bridge.health()).xmpp === 'online', 'the bridge');
      await ctx.grantPermissions(['notifications'], { origin: web.origin });
      // The one stand-in: Chromium cannot reach a real push service here, so subscribe() hands out a
      // subscription whose endpoint is the local push service and whose keys the test holds.
      const keys = browserKeys();
      const path = `/push/${Date.now()}`;
      await ctx.addInitScript((sub) => {
        /** @type {any} */ let current = null;
        const P = /** @type {any} */ (globalThis).PushManager.prototype;
        P.subscribe = async function (/** @type {any} */ o) {
          current = { endpoint: sub.endpoint, expirationTime: null, options: { userVisibleOnly: true, applicationServerKey: new Uint8Array(o.applicationServerKey).buffer },
            toJSON: () => sub, unsubscribe: async () => { current = null; return true; } };
          return current;
        };
        P.getSubscription = async function () { return current; };
      }, keys.subscription(pushService.origin + path));
      const alice = newAccount('alice');
      const bob = newAccount('bob');
      const page = await ctx.newPage();
      const q = new URLSearchParams({ service: stack.service, jid: bob.jid, password: bob.password, push: bridge.vapidPublicKey, 'push-service': 'push.localhost' });
      await page.goto(`${web.origin}/push.html?${q}`);
      await page.locator('body[data-connection="online"]').waitFor();

      await page.getByRole('button', { name: 'Enable notifications' }).click();
      await page.getByText('Notifications are on').waitFor();
      const registered = logs.find((l) => l.msg === 'subscription registered' && l.owner === bob.jid);
      assert.ok(registered, 'the bridge registered bob\'s subscription');

      await page.getByRole('button', { name: 'Disable notifications' }).click();
      await page.getByRole('button', { name: 'Enable notifications' }).waitFor();
      await until(() => logs.find((l) => l.msg === 'subscription removed' && l.node === registered.node), 'the bridge to drop it');

      await page.getByRole('button', { name: 'Enable notifications' }).click();
      await page.getByText('Notifications are on').waitFor();
      // Closing the tab drops bob's socket; his server keeps the session and pushes for it.
      await page.close();
      const { x: ax, stop } = await rawClient(alice, { available: false, resource: 'push-test' });
      await ax.send(xml('message', { to: bob.jid, type: 'chat', id: `m${Date.now()}` }, xml('body', {}, 'see you at 5')));
      const [req] = await until(() => pushService.to(path).length && pushService.to(path), 'the push');
      const payload = JSON.parse(decryptPush(req.body, keys));
      assert.equal(payload.sender, alice.jid);
      assert.equal(payload.text, 'see you at 5');
      assert.equal(payload.url, `${web.origin}/push.html`);
      await stop();
    } finally {
      await ctx.close();
      await bridge.stop();
      await pushService.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
