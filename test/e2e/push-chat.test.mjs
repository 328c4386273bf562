// Web push as a site uses it: a plain page with one <cc-chat push push-service service-worker …>, the
// built dist/cc.js and dist/cc-sw.js, the real push bridge and the harness's Prosody. The button is
// cc-chat's own; the server side is checked where it lives (the bridge's log and Prosody's store of
// XEP-0357 registrations); notification clicks reach cc-chat and open conversations or answer calls.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { startPushBridge } from '../../server/push-bridge/bridge.mjs';
import { buildPayload } from '../../server/push-bridge/protocol.mjs';
import { befriend, chatOnline, launchBrowser, newAccount, openAs, rawClient, shownBodies, stack, startStaticServer, unique, until } from '../support/e2e.mjs';
import { startPushPageServer } from '../support/push-page.mjs';
import { browserKeys, decryptPush, startMockPushService } from '../support/push-service.mjs';

const BRIDGE = 'push.localhost';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startPushPageServer>>} */ let web;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let callerWeb;
/** @type {Awaited<ReturnType<typeof startMockPushService>>} */ let pushService;
/** @type {Awaited<ReturnType<typeof startPushBridge>>} */ let bridge;
/** @type {Record<string, any>[]} */ const logs = [];
const dataDir = mkdtempSync(join(tmpdir(), 'cc-push-bridge-'));

before(async () => {
  [browser, web, callerWeb, pushService] = await Promise.all([launchBrowser(), startPushPageServer(), startStaticServer(), startMockPushService()]);
  bridge = await startPushBridge({
    service: `xmpp://127.0.0.1:${stack.ports.component}`, domain: BRIDGE, secret: stack.secrets.component,
    dataDir, healthPort: 0, endpointHosts: ['127.0.0.1'], agent: pushService.agent, log: (e) => logs.push(e),
  });
  await until(async () => (await bridge.health()).xmpp === 'online', 'the bridge');
});
after(async () => {
  await browser?.close();
  await Promise.all([web?.close(), callerWeb?.close(), bridge?.stop()]);
  await pushService?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A browser context for `me` whose push subscriptions point at the local push service: Chromium
 * cannot reach a real push service here (ENVIRONMENT.md §7), so subscribe() hands out a
 * subscription with the test's keys. It is kept in localStorage, as the browser keeps its own
 * across reloads and tabs. Everything else (service worker, notifications, cc-chat) is real.
 */
async function pushContext(/** @type {{ jid: string, password: string }} */ me, attrs = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  await ctx.grantPermissions(['notifications'], { origin: web.origin });
  const keys = browserKeys();
  const path = `/push/${unique('sub')}`;
  await ctx.addInitScript((sub) => {
    const P = /** @type {any} */ (globalThis).PushManager?.prototype;
    if (!P) return;
    const KEY = 'test.push-subscription';
    const make = (/** @type {ArrayBuffer} */ key) => ({
      endpoint: sub.endpoint, expirationTime: null, options: { userVisibleOnly: true, applicationServerKey: key },
      toJSON: () => sub, unsubscribe: async () => { localStorage.removeItem(KEY); return true; },
    });
    const keyOf = () => { const k = localStorage.getItem(KEY); return k && Uint8Array.from(JSON.parse(k)).buffer; };
    P.subscribe = async function (/** @type {any} */ o) {
      localStorage.setItem(KEY, JSON.stringify([...new Uint8Array(o.applicationServerKey)]));
      return make(/** @type {ArrayBuffer} */ (keyOf()));
    };
    P.getSubscription = async function () { const k = keyOf(); return k ? make(k) : null; };
  }, keys.subscription(pushService.origin + path));
  const url = web.chatPage({
    mode: 'embedded', service: stack.service, jid: me.jid, password: me.password,
    push: bridge.vapidPublicKey, 'push-service': BRIDGE, 'service-worker': '/cc-sw.js', ...attrs,
  });
  /** @type {Map<string, string>} scope → registration id, from any page's DevTools session */
  const registrations = new Map();
  /** @type {Map<string, string>} registration id → running status of its worker */
  const running = new Map();
  /** @type {import('playwright-core').CDPSession | undefined} */ let cdp;
  return {
    ctx, keys, path, url,
    /** Pushes that reached the local push service for this browser, decrypted. */
    pushes: () => pushService.to(path).map((r) => JSON.parse(decryptPush(r.body, keys))),
    async open(/** @type {string} */ at = url) {
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e));
      await page.goto(at);
      await chatOnline(page);
      return { page, errors };
    },
    /** Delivers `data` to the service worker as the browser's push service would (DevTools protocol). */
    async deliver(/** @type {string} */ data) {
      if (!cdp) {
        // A blank page hosts the DevTools session, so no page of the site needs to be open.
        const host = await ctx.newPage();
        cdp = await ctx.newCDPSession(host);
        cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: rs }) => {
          for (const r of rs) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
        });
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: vs }) => {
          for (const v of vs) running.set(v.registrationId, v.runningStatus);
        });
        await cdp.send('ServiceWorker.enable');
      }
      const scopeURL = `${web.origin}/`;
      const registrationId = await until(() => registrations.get(scopeURL), 'the service worker registration');
      // Closing the site's last tab may take the worker's process down with it; a push sent while it
      // stops is lost (as a real push service would retry, the test starts the worker first).
      await cdp.send('ServiceWorker.startWorker', { scopeURL });
      await until(() => running.get(registrationId) === 'running', 'the service worker to run');
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: web.origin, registrationId, data });
    },
    /** The running instance of the site's service worker (one that was stopped may still be listed a moment). */
    sw: () => until(async () => {
      for (const w of ctx.serviceWorkers().filter((x) => x.url() === `${web.origin}/cc-sw.js`).reverse()) {
        if (await w.evaluate(() => true).catch(() => false)) return w;
      }
      return undefined;
    }, 'the service worker'),
  };
}

/** The notifications the service worker shows. */
const notifications = (/** @type {import('playwright-core').Worker} */ sw) => sw.evaluate(async () => (await /** @type {any} */ (self).registration.getNotifications())
  .map((/** @type {Notification} */ n) => ({ title: n.title, body: n.body, tag: n.tag, actions: /** @type {any} */ (n).actions?.map((/** @type {any} */ a) => a.action) })));

/** Dispatches `notificationclick` for the notification with `tag`, as a click on it (or on its `action` button) would. */
const click = (/** @type {import('playwright-core').Worker} */ sw, /** @type {string} */ tag, action = '') => sw.evaluate(async ([t, a]) => {
  const s = /** @type {any} */ (self);
  const [n] = await s.registration.getNotifications({ tag: t });
  if (!n) throw new Error(`no notification ${t}`);
  s.dispatchEvent(new s.NotificationEvent('notificationclick', { notification: n, action: a }));
}, [tag, action]);

/** Prosody's store of the account's XEP-0357 registrations (mod_cloud_notify, internal storage). */
function serverPushRegistrations(/** @type {{ user: string }} */ acct) {
  const file = `${stack.dir}/data/${encodeURIComponent(stack.domain)}/cloud_notify/${acct.user.replace(/\W/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}.dat`;
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

const enabledNode = (/** @type {string} */ jid) => until(() => logs.findLast((l) => l.msg === 'subscription registered' && l.owner === jid)?.node, 'the bridge to register the subscription');

describe('cc-chat: Enable notifications', () => {
  it('registers with the bridge and enables XEP-0357 on the server; stays on after a reload; Disable undoes both', async () => {
    const bob = newAccount('bob');
    const b = await pushContext(bob);
    const { page, errors } = await b.open();
    await page.getByRole('button', { name: 'Enable notifications' }).click();
    await page.getByText('Notifications are on').waitFor();
    const node = await enabledNode(bob.jid);
    await until(() => serverPushRegistrations(bob).includes(node), 'Prosody to store the push registration');
    assert.match(serverPushRegistrations(bob), new RegExp(`${BRIDGE}`));

    await page.reload();
    await chatOnline(page);
    await page.getByRole('button', { name: 'Disable notifications' }).waitFor();
    await page.getByText('Notifications are on').waitFor();
    // The new session registered again: same subscription, same node.
    await until(() => logs.find((l) => l.msg === 'subscription updated' && l.node === node), 'the re-registration after the reload');

    await page.getByRole('button', { name: 'Disable notifications' }).click();
    await page.getByRole('button', { name: 'Enable notifications' }).waitFor();
    await until(() => logs.find((l) => l.msg === 'subscription removed' && l.node === node), 'the bridge to drop the subscription');
    await until(() => !serverPushRegistrations(bob).includes(node), 'Prosody to drop the push registration');
    await page.reload();
    await chatOnline(page);
    await page.getByRole('button', { name: 'Enable notifications' }).waitFor();
    assert.deepEqual(errors, []);
    await b.ctx.close();
  });

  it('a clicked message notification opens that conversation in cc-chat', async () => {
    const alice = newAccount('alice');
    const carol = newAccount('carol');
    const bob = newAccount('bob');
    await befriend(alice, bob, carol);
    const b = await pushContext(bob);
    const { page, errors } = await b.open();
    await page.getByRole('button', { name: 'Enable notifications' }).click();
    await page.getByText('Notifications are on').waitFor();
    const { x: ax, stop } = await rawClient(alice);
    await ax.send(xml('message', { to: bob.jid, type: 'chat', id: unique('m') }, xml('body', {}, 'the minutes are up')));
    await stop();
    const list = page.getByRole('listbox', { name: 'Conversations' });
    await list.getByRole('option', { name: new RegExp(alice.user) }).waitFor();
    await list.getByRole('option', { name: new RegExp(carol.user) }).click();
    await page.locator('cc-chat-view header .name').getByText(carol.user).waitFor();

    // The push exactly as the bridge builds it from Prosody's summary.
    await b.deliver(JSON.stringify(buildPayload({ node: 'n', count: 1, kind: 'message', video: false, type: 'chat', secret: undefined,
      sender: `${alice.jid}/phone`, body: 'the minutes are up' }, { privacy: false, url: b.url })));
    const sw = await b.sw();
    const [n] = await until(async () => { const ns = await notifications(sw); return ns.length === 1 && ns; }, 'the notification');
    assert.equal(n.title, alice.jid);
    await click(sw, n.tag);
    await page.locator('cc-chat-view header .name').getByText(alice.user).waitFor();
    await until(async () => (await shownBodies(page)).includes('the minutes are up'), 'alice\'s message in the opened conversation');
    assert.deepEqual(errors, []);
    await b.ctx.close();
  });

  it('push-privacy: the bridge is told, and the push it sends carries no message text', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const b = await pushContext(bob, { 'push-privacy': '' });
    const { page } = await b.open();
    await page.getByRole('button', { name: 'Enable notifications' }).click();
    await page.getByText('Notifications are on').waitFor();
    const node = await enabledNode(bob.jid);
    assert.equal(logs.findLast((l) => l.node === node && l.msg === 'subscription registered')?.privacy, true);
    // Closing the tab drops bob's socket; his server keeps the session hibernating and pushes for it.
    await page.close();
    const { x: ax, stop } = await rawClient(alice);
    await ax.send(xml('message', { to: bob.jid, type: 'chat', id: unique('m') }, xml('body', {}, 'the private plan')));
    const [payload] = await until(() => b.pushes().length && b.pushes(), 'the push');
    await stop();
    assert.equal(payload.sender, alice.jid);
    assert.equal(payload.text, undefined);
    assert.ok(!JSON.stringify(payload).includes('private plan'));
    // What the notification then shows.
    await b.deliver(JSON.stringify(payload));
    const sw = await b.sw();
    const [n] = await until(async () => { const ns = await notifications(sw); return ns.length === 1 && ns; }, 'the notification');
    assert.deepEqual([n.title, n.body], [alice.jid, 'New message']);
    await b.ctx.close();
  });
});

describe('cc-chat: Accept and Decline on a call notification', () => {
  /** Bob turns push on in a tab and closes it: his server keeps that session and pushes for it. */
  async function bobWithPushAndNoTab() {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const b = await pushContext(bob, { calls: '' });
    const first = await b.open();
    await first.page.getByRole('button', { name: 'Enable notifications' }).click();
    await first.page.getByText('Notifications are on').waitFor();
    await first.page.close();
    const a = await openAs(browser, callerWeb.origin, alice, { mode: 'embedded', with: bob.jid, calls: '' });
    const call = a.page.getByRole('button', { name: 'Audio call' });
    await until(() => call.isEnabled(), 'alice\'s Audio call button');
    return { alice, bob, a, b, call };
  }

  /** Alice's call reaches bob's push service; the test hands it to bob's service worker. */
  async function callNotification(/** @type {Awaited<ReturnType<typeof bobWithPushAndNoTab>>} */ s) {
    const [payload] = await until(() => s.b.pushes().filter((p) => p.kind === 'call').length && s.b.pushes().filter((p) => p.kind === 'call'), 'the call push');
    assert.equal(payload.conversation, s.alice.jid);
    await s.b.deliver(JSON.stringify(payload));
    const sw = await s.b.sw();
    const [n] = await until(async () => { const ns = await notifications(sw); return ns.length === 1 && ns; }, 'the call notification');
    assert.deepEqual([n.title, n.actions], ['Incoming call', ['accept', 'decline']]);
    return { sw, n };
  }

  it('Decline, with a tab of the site open: cc-chat declines the call and the caller sees it declined', async () => {
    const s = await bobWithPushAndNoTab();
    // Another tab is open (signed in after push was turned on); the call rings there too.
    const second = await s.b.open();
    // Its login registered with the bridge and enabled push again (a new secret); a call before that
    // is done may be published with the secret being replaced.
    await second.page.getByText('Notifications are on').waitFor();
    await until(() => second.page.evaluate(() => !!document.querySelector('cc-chat')?.shadowRoot?.querySelector('cc-call.dock')?.shadowRoot), 'bob\'s call engine');
    await s.call.click();
    await second.page.getByRole('alertdialog', { name: 'Incoming call' }).waitFor();
    const { sw, n } = await callNotification(s);
    await click(sw, n.tag, 'decline');
    await second.page.getByRole('alertdialog', { name: 'Incoming call' }).waitFor({ state: 'detached' });
    await until(async () => (await shownBodies(s.a.page, 'cc-chat-view .system')).includes('Audio call declined'), 'alice to see the call declined');
    assert.deepEqual([...s.a.errors, ...second.errors], []);
    await Promise.all([s.a.ctx.close(), s.b.ctx.close()]);
  });

  it('Accept, with no tab open: the page opens, finds the call still offered and answers it; the call connects', async () => {
    const s = await bobWithPushAndNoTab();
    await s.call.click();
    const { sw, n } = await callNotification(s);
    // Chromium lets a worker open windows only during a real click on a notification, which no
    // automation can make; the test records the URL the worker asks for and opens it itself.
    await sw.evaluate(() => {
      const g = /** @type {any} */ (self);
      g.ccOpened = [];
      g.clients.openWindow = async (/** @type {string} */ u) => { g.ccOpened.push(u); return null; };
    });
    await click(sw, n.tag, 'accept');
    const [url] = await until(() => sw.evaluate(() => /** @type {any} */ (self).ccOpened.length && /** @type {any} */ (self).ccOpened), 'the worker to open the page');
    assert.equal(url, `${s.b.url}?${new URLSearchParams({ 'cc-open': s.alice.jid, 'cc-action': 'accept' })}`);
    const opened = await s.b.open(url);
    for (const page of [s.a.page, opened.page]) {
      await until(async () => /^\d+:\d\d$/.test((await page.getByRole('timer', { name: 'Call status' }).textContent({ timeout: 1000 }).catch(() => '')) ?? ''), 'the call to be active', 30_000);
    }
    await opened.page.locator('cc-chat-view header .name').getByText(s.alice.user).waitFor();
    await s.a.page.getByRole('button', { name: 'Hang up' }).click();
    assert.deepEqual([...s.a.errors, ...opened.errors], []);
    await Promise.all([s.a.ctx.close(), s.b.ctx.close()]);
  });
});
