// The push bridge: an XMPP component (XEP-0114) that
//  - lets an account register a browser's PushSubscription (urn:x-cc:push:0), authenticated by the
//    address its own server stamps on the request, and answers with the XEP-0357 node + secret;
//  - receives XEP-0357 publishes from the account's server, checks the secret, and
//  - sends an encrypted Web Push (RFC 8030/8291/8292) to the subscription.
// Subscriptions and the VAPID key pair live in LevelDB, so they survive restarts.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { component, jid as parseJid, xml } from '@xmpp/component';
import webpush from 'web-push';
import { NS, buildPayload, parsePublish, stanzaError } from './protocol.mjs';
import { Sender } from './sender.mjs';
import { Store } from './store.mjs';

/** @typedef {import('@xmpp/xml').Element} Element */

/**
 * @typedef {object} BridgeOptions
 * @property {string} service XEP-0114 endpoint of the XMPP server, e.g. `xmpp://127.0.0.1:5347`.
 * @property {string} domain The component's address, e.g. `push.example.com`.
 * @property {string} secret The component secret shared with the XMPP server.
 * @property {string} dataDir Folder of the database (created when missing).
 * @property {number} [healthPort] Loopback port of the health check; 0 picks a free one; null disables.
 * @property {string} [healthHost] Default 127.0.0.1.
 * @property {string[]} [allowedDomains] Account domains that may register; default: the component's parent domain.
 * @property {string[]} [endpointHosts] Push service hosts (suffixes) subscriptions may point at; `*` allows any.
 * @property {string} [vapidSubject] `mailto:` or `https:` contact for push services.
 * @property {{ publicKey: string, privateKey: string }} [vapidKeys] Fixed keys; otherwise generated once and stored.
 * @property {boolean} [privacy] Never put message text into pushes, whatever the registration says.
 * @property {number} [ttl] Seconds a message push may wait at the push service (default 3600).
 * @property {number} [callTtl] Same for incoming calls (default 60).
 * @property {number} [maxPerAccount] Subscriptions kept per account; the oldest goes first (default 10).
 * @property {number} [retries] Retries after a 429/5xx/network failure (default 5).
 * @property {number} [retryBaseMs] First retry delay (default 1000; doubles each time).
 * @property {number} [retryMaxMs] Longest retry delay (default 60000).
 * @property {import('node:https').Agent} [agent] HTTPS agent for push requests (e.g. a CA for a test push service).
 * @property {(entry: Record<string, unknown>) => void} [log] Receives structured log entries; default: JSON lines on stdout.
 */

const DEFAULT_ENDPOINT_HOSTS = [
  'fcm.googleapis.com', 'android.googleapis.com', 'push.services.mozilla.com', 'push.apple.com',
  'notify.windows.com',
];

/** @param {Record<string, unknown>} entry */
const jsonLog = (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`);

/** @param {string} a @param {string} b */
function sameSecret(a, b) {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const b64url = (/** @type {string} */ s) => /^[A-Za-z0-9_-]+={0,2}$/.test(s) ? Buffer.from(s, 'base64url') : null;

/**
 * Checks a PushSubscription's JSON as the browser produces it. Returns an error text or the clean value.
 * @param {unknown} v @param {string[]} endpointHosts
 * @returns {import('./store.mjs').PushSubscriptionJSON | string}
 */
export function validateSubscription(v, endpointHosts) {
  const s = /** @type {any} */ (v);
  if (!s || typeof s !== 'object' || typeof s.endpoint !== 'string') return 'missing endpoint';
  let url;
  try { url = new URL(s.endpoint); } catch { return 'endpoint is not a URL'; }
  if (url.protocol !== 'https:') return 'endpoint must be https';
  if (s.endpoint.length > 2048) return 'endpoint too long';
  const host = url.hostname.toLowerCase();
  if (!endpointHosts.includes('*') && !endpointHosts.some((h) => host === h || host.endsWith(`.${h}`))) {
    return `push service ${host} is not allowed here`;
  }
  const p256dh = typeof s.keys?.p256dh === 'string' ? b64url(s.keys.p256dh) : null;
  const auth = typeof s.keys?.auth === 'string' ? b64url(s.keys.auth) : null;
  if (!p256dh || p256dh.length !== 65 || p256dh[0] !== 4) return 'keys.p256dh must be an uncompressed P-256 point';
  if (!auth || auth.length !== 16) return 'keys.auth must be 16 bytes';
  return {
    endpoint: s.endpoint,
    expirationTime: typeof s.expirationTime === 'number' ? s.expirationTime : null,
    keys: { p256dh: s.keys.p256dh, auth: s.keys.auth },
  };
}

/** @param {BridgeOptions} options */
export async function startPushBridge(options) {
  const o = {
    healthHost: '127.0.0.1', healthPort: 0, ttl: 3600, callTtl: 60, maxPerAccount: 10, retries: 5,
    retryBaseMs: 1000, retryMaxMs: 60_000, privacy: false, endpointHosts: DEFAULT_ENDPOINT_HOSTS,
    allowedDomains: [options.domain.split('.').slice(1).join('.') || options.domain], log: jsonLog,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  const domains = new Set(o.allowedDomains.map((d) => d.toLowerCase()));
  /** @param {string} level @param {string} msg @param {Record<string, unknown>} [fields] */
  const log = (level, msg, fields = {}) => {
    try { o.log({ time: new Date().toISOString(), level, msg, ...fields }); } catch { /* a broken logger must not stop pushes */ }
  };
  const stats = { sent: 0, failed: 0, deleted: 0, published: 0, startedAt: Date.now() };

  mkdirSync(o.dataDir, { recursive: true });
  const dbPath = resolve(o.dataDir, 'db');
  /** @type {Store} */ let store;
  /** @type {Sender} */ let sender;
  /** @type {ReturnType<typeof component> | undefined} */ let xmpp;
  /** @type {import('node:http').Server | undefined} */ let health;
  /** @type {{ publicKey: string, privateKey: string }} */ let vapid = { publicKey: '', privateKey: '' };
  let xmppState = 'offline';
  let healthPort = o.healthPort;
  const inflight = new Set();

  async function loadVapid() {
    if (o.vapidKeys) return o.vapidKeys;
    const stored = await store.vapid();
    if (stored) return stored;
    const k = webpush.generateVAPIDKeys();
    await store.setVapid({ ...k, created: Date.now() });
    log('info', 'generated VAPID keys', { publicKey: k.publicKey });
    return k;
  }

  /** @param {Element} stanza */
  const bareFrom = (stanza) => {
    try {
      const j = parseJid(String(stanza.attrs.from ?? ''));
      return { bare: j.bare().toString().toLowerCase(), local: j.local, domain: j.domain.toLowerCase() };
    } catch {
      return null;
    }
  };

  /** @param {{ stanza: Element, element: Element }} ctx */
  async function onRegister(ctx) {
    const who = bareFrom(ctx.stanza);
    if (!who?.local || !domains.has(who.domain)) {
      log('warn', 'registration refused', { from: ctx.stanza.attrs.from, reason: 'domain not served' });
      return stanzaError('auth', 'forbidden', 'This push service does not serve your domain');
    }
    let parsed;
    try { parsed = JSON.parse(ctx.element.getChildText('subscription') ?? ''); } catch { parsed = null; }
    const sub = validateSubscription(parsed, o.endpointHosts);
    if (typeof sub === 'string') {
      log('warn', 'registration refused', { owner: who.bare, reason: sub });
      return stanzaError('modify', 'not-acceptable', sub);
    }
    const url = String(ctx.element.attrs.url ?? '');
    const privacy = ['true', '1'].includes(String(ctx.element.attrs.privacy ?? ''));
    const existing = await store.byOwner(who.bare);
    const same = existing.find((s) => s.subscription.endpoint === sub.endpoint);
    const now = Date.now();
    /** @type {import('./store.mjs').Subscription} */
    const record = {
      node: same?.node ?? randomBytes(16).toString('base64url'),
      // The same browser registering again (every fresh login does) keeps its secret: the server
      // may publish with the one it was given before it hears of a new one, and the push would be lost.
      secret: same?.secret ?? randomBytes(24).toString('base64url'),
      owner: who.bare, subscription: sub, privacy,
      url: /^https?:\/\//.test(url) && url.length <= 1024 ? url : undefined,
      created: same?.created ?? now, updated: now,
    };
    await store.put(record);
    const others = existing.filter((s) => s.node !== record.node);
    for (const old of others.slice(0, Math.max(0, others.length + 1 - o.maxPerAccount))) {
      await store.delete(old.node);
      log('info', 'subscription evicted', { owner: who.bare, node: old.node, reason: 'too many per account' });
    }
    log('info', same ? 'subscription updated' : 'subscription registered', {
      owner: who.bare, node: record.node, pushService: new URL(sub.endpoint).host, privacy,
    });
    return xml('registered', { xmlns: NS.bridge, node: record.node, secret: record.secret, jid: xmpp?.jid?.toString() ?? o.domain });
  }

  /** @param {{ stanza: Element, element: Element }} ctx */
  async function onUnregister(ctx) {
    const who = bareFrom(ctx.stanza);
    const node = String(ctx.element.attrs.node ?? '');
    const sub = node ? await store.get(node) : undefined;
    if (!who || !sub || sub.owner !== who.bare) return stanzaError('cancel', 'item-not-found');
    await store.delete(node);
    stats.deleted++;
    log('info', 'subscription removed', { owner: who.bare, node, reason: 'unregistered by owner' });
    return true;
  }

  /** @param {{ stanza: Element, element: Element }} ctx */
  async function onPublish(ctx) {
    const p = parsePublish(ctx.element);
    if (!p) return stanzaError('modify', 'bad-request');
    stats.published++;
    const from = String(ctx.stanza.attrs.from ?? '').toLowerCase();
    const sub = await store.get(p.node);
    if (!sub) {
      log('info', 'publish for unknown node', { node: p.node, from });
      return stanzaError('cancel', 'item-not-found');
    }
    // Only the account's own server (or the account itself) publishes to its node.
    if (from !== sub.owner.split('@')[1] && from !== sub.owner) {
      log('warn', 'publish refused', { node: p.node, from, reason: 'publisher is not the owner\'s server' });
      return stanzaError('auth', 'forbidden');
    }
    if (!p.secret || !sameSecret(p.secret, sub.secret)) {
      log('warn', 'publish refused', { node: p.node, from, reason: 'wrong secret' });
      return stanzaError('auth', 'not-authorized');
    }
    if (!p.body && p.kind !== 'call') {
      // A stanza nobody needs to see (an iq result, a receipt, a chat state): every Web Push must
      // show a notification, so none is sent.
      log('debug', 'publish without a message skipped', { node: p.node });
      return true;
    }
    const payload = buildPayload(p, { privacy: o.privacy || sub.privacy, url: sub.url });
    const call = p.kind === 'call';
    const job = deliver(sub, JSON.stringify(payload), { ttl: call ? o.callTtl : o.ttl, urgency: call ? 'high' : 'normal', kind: p.kind });
    inflight.add(job);
    job.finally(() => inflight.delete(job));
    // The first answer of the push service decides the reply; retries go on in the background.
    const first = await Promise.race([job, job.firstAttempt]);
    if (first === 'gone') return stanzaError('cancel', 'item-not-found', 'The browser subscription has expired');
    if (first === 'failed') return stanzaError('cancel', 'not-acceptable', 'The push service refused the notification');
    return true;
  }

  /**
   * @param {import('./store.mjs').Subscription} sub @param {string} payload
   * @param {{ ttl: number, urgency: 'normal' | 'high', kind: string }} opts
   */
  function deliver(sub, payload, opts) {
    /** @type {(v: string) => void} */ let settleFirst = () => {};
    const firstAttempt = new Promise((r) => { settleFirst = r; });
    const pushService = new URL(sub.subscription.endpoint).host;
    const job = (async () => {
      const r = await sender.send(sub.subscription, payload, {
        ttl: opts.ttl, urgency: opts.urgency,
        onAttempt: (a) => {
          if (a.delayMs !== undefined) {
            log('warn', 'push retry scheduled', { node: sub.node, pushService, status: a.status, reason: a.reason, attempt: a.attempt, delayMs: a.delayMs });
            settleFirst('retrying');
          }
        },
      });
      if (r.kind === 'sent') {
        stats.sent++;
        log('info', 'push sent', { node: sub.node, owner: sub.owner, pushService, status: r.status, kind: opts.kind, urgency: opts.urgency, ttl: opts.ttl });
        return 'sent';
      }
      if (r.kind === 'gone') {
        if (await store.delete(sub.node).catch(() => false)) stats.deleted++;
        log('info', 'subscription removed', { node: sub.node, owner: sub.owner, pushService, status: r.status, reason: 'expired at the push service' });
        return 'gone';
      }
      stats.failed++;
      log('error', 'push failed', { node: sub.node, owner: sub.owner, pushService, status: r.status, reason: r.reason });
      return 'failed';
    })();
    return Object.assign(job, { firstAttempt });
  }

  async function healthInfo() {
    return {
      status: xmppState === 'online' ? 'ok' : 'degraded',
      xmpp: xmppState,
      jid: o.domain,
      subscriptions: await store.count(),
      vapidPublicKey: vapid.publicKey,
      sent: stats.sent, failed: stats.failed, deleted: stats.deleted, published: stats.published,
      uptimeSeconds: Math.round((Date.now() - stats.startedAt) / 1000),
    };
  }

  async function start() {
    store = new Store(dbPath);
    await store.open();
    vapid = await loadVapid();
    sender = new Sender({
      vapid: { subject: o.vapidSubject ?? `mailto:postmaster@${[...domains][0]}`, ...vapid },
      agent: o.agent, retries: o.retries, retryBaseMs: o.retryBaseMs, retryMaxMs: o.retryMaxMs, timeoutMs: 15_000,
    });

    const x = component({ service: o.service, domain: o.domain, password: o.secret });
    xmpp = x;
    x.on('error', (e) => log('error', 'xmpp error', { error: String(e?.message ?? e) }));
    x.on('online', () => { xmppState = 'online'; log('info', 'xmpp online', { jid: o.domain }); });
    x.on('offline', () => { xmppState = 'offline'; });
    x.on('disconnect', () => { if (xmppState === 'online') log('warn', 'xmpp disconnected; reconnecting'); xmppState = 'offline'; });
    x.iqCallee.set(NS.bridge, 'register', onRegister);
    x.iqCallee.set(NS.bridge, 'unregister', onUnregister);
    x.iqCallee.get(NS.bridge, 'vapid', () => xml('vapid', { xmlns: NS.bridge, 'public-key': vapid.publicKey }));
    x.iqCallee.set(NS.pubsub, 'pubsub', onPublish);
    x.iqCallee.get(NS.discoInfo, 'query', () => xml('query', { xmlns: NS.discoInfo },
      xml('identity', { category: 'pubsub', type: 'push', name: 'Web Push bridge' }),
      xml('feature', { var: NS.push }), xml('feature', { var: NS.bridge })));

    if (o.healthPort !== null) {
      const srv = createServer((req, res) => {
        if (req.method !== 'GET' || (req.url !== '/health' && req.url !== '/')) { res.writeHead(404).end(); return; }
        healthInfo().then((h) => {
          res.writeHead(h.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(h));
        }, (e) => { res.writeHead(500).end(String(e)); });
      });
      await new Promise((r, j) => srv.once('error', j).listen(healthPort, o.healthHost, () => r(undefined)));
      healthPort = /** @type {import('node:net').AddressInfo} */ (srv.address()).port;
      health = srv;
    }
    try {
      await x.start();
    } catch (e) {
      // Nothing stays open when the XMPP server cannot be reached at start.
      await stop();
      throw e;
    }
    log('info', 'push bridge started', { jid: o.domain, vapidPublicKey: vapid.publicKey, health: health ? `http://${o.healthHost}:${healthPort}/health` : null });
  }

  async function stop() {
    sender?.stop();
    await Promise.allSettled([...inflight]);
    const x = xmpp;
    xmpp = undefined;
    if (x) {
      x.reconnect.stop();
      await x.stop().catch(() => {});
    }
    xmppState = 'offline';
    const h = health;
    health = undefined;
    if (h) await new Promise((r) => { h.close(() => r(undefined)); h.closeAllConnections(); });
    await store?.close().catch(() => {});
    log('info', 'push bridge stopped', { jid: o.domain });
  }

  await start();

  return {
    jid: o.domain,
    get vapidPublicKey() { return vapid.publicKey; },
    get healthUrl() { return `http://${o.healthHost}:${healthPort}/health`; },
    health: healthInfo,
    stop,
    async restart() { await stop(); await start(); },
  };
}
