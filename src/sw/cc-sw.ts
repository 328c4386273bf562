/// <reference lib="webworker" />
// The widget's service worker, built into dist/cc-sw.js (a classic script, so a host site can also
// pull it into its own worker with importScripts):
//  - precaches the widget's own files (the manifest is injected at build time by workbox);
//  - shows a notification per push (one per conversation, counted; calls with Accept/Decline);
//  - on a click, focuses an open page and tells it what to open, or opens the page that enabled push.
import { PrecacheController } from 'workbox-precaching';
import { actionOf, openUrl, parsePayload, pickClient, planNotification, type NotificationData, type OpenMessage } from './notify.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: ({ url: string; revision: string | null } | string)[] };

/** Where this script was loaded from, also when a same-origin stub imported it from a CDN. */
function ownUrl(): string {
  const m = /(https?:\/\/[^\s)'"]+?\.js)(?::\d+)*/.exec(new Error().stack ?? '');
  return m?.[1] ?? self.location.href;
}

// Bump when the cache layout changes; older cc caches are deleted on activation.
const CACHE = 'cc-precache-v1';
const base = ownUrl();
const precache = new PrecacheController({ cacheName: CACHE });
precache.addToCacheList(self.__WB_MANIFEST.map((e) => (typeof e === 'string'
  ? new URL(e, base).href
  : { url: new URL(e.url, base).href, revision: e.revision })));

self.addEventListener('install', (event) => {
  // Offline assets are a bonus; push must work even when they cannot be fetched (say, this file was
  // copied to the site root without the rest of dist/). workbox rejects the install on any failed
  // download, so it gets an event whose waitUntil only observes, and failures are logged instead.
  const observer = { type: 'install', waitUntil: (p: Promise<unknown>) => void p.catch(() => {}) };
  event.waitUntil(precache.install(observer as unknown as ExtendableEvent)
    .catch((e) => console.warn('cc-sw: widget files not precached', e))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await precache.activate(event);
    for (const key of await caches.keys()) {
      if (key.startsWith('cc-precache-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  const key = precache.getCacheKeyForURL(event.request.url);
  if (!key) return;
  event.respondWith(precache.matchPrecache(key).then((r) => r ?? fetch(event.request)));
});

self.addEventListener('push', (event) => {
  let text: string | undefined;
  try {
    text = event.data?.text();
  } catch {
    text = undefined;
  }
  const payload = parsePayload(text);
  event.waitUntil((async () => {
    const probe = planNotification(payload);
    const [previous] = await self.registration.getNotifications({ tag: probe.options.tag });
    const plan = planNotification(payload, (previous?.data as NotificationData | undefined) ?? undefined);
    await self.registration.showNotification(plan.title, plan.options);
    // Chromium can settle that before the notification is stored, and then lose it (seen in headless
    // Chromium 156, about one new notification in six): confirm it is there, else show it again.
    const shown = await self.registration.getNotifications({ tag: plan.options.tag });
    if (!shown.length) await self.registration.showNotification(plan.title, plan.options);
  })());
});

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data as NotificationData | undefined;
  if (data?.cc !== 1) return; // Another script's notification, when this worker is merged into a site's own.
  event.notification.close();
  const action = actionOf(event.action);
  const message: OpenMessage = { type: 'cc-push-open', conversation: data.conversation, kind: data.kind, action };
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const target = pickClient(windows, data.url);
    if (target) {
      target.postMessage(message);
      if (action !== 'decline') await target.focus().catch(() => {});
      return;
    }
    // Declining needs the page's XMPP session; with no page open the caller's ring simply times out.
    if (action === 'decline') return;
    await self.clients.openWindow(openUrl(data, action, self.registration.scope));
  })());
});
