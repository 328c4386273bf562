// Web push for an account, headless: permission (from a user gesture), the service worker, the
// browser's push subscription, registration with the push bridge, and XEP-0357 on the account's
// server. Also the page side of notification clicks. No DOM rendering.
//
// Only non-secret state is remembered (localStorage `cc.push:<account>`): that push is on, the
// bridge and node. The node's secret lives only on the server and the bridge; every fresh login
// registers again (the bridge hands out a new secret) and re-enables, which also ties the new
// session to the push node so the server does not push while this session is online.
import { atom, type ReadableAtom, type WritableAtom } from 'nanostores';
import { tagFor, type OpenMessage } from '../sw/notify.js';
import { buildDisable, buildEnable, buildRegister, buildUnregister, parseRegistered } from './protocol/push.js';
import type { Element } from './xmpp.js';

export type PushStatus = 'unsupported' | 'denied' | 'off' | 'on' | 'error';

export interface PushState {
  status: PushStatus;
  /** Why, for `error` (and `unsupported`/`denied`), in words for the user. */
  message?: string;
  /** An enable/disable is under way. */
  busy?: boolean;
}

/** What push needs from a session: its connection (structural, so any session shape fits). */
export interface PushSession {
  connection: {
    readonly bare: string;
    readonly online: boolean;
    request(iq: Element, timeoutMs?: number): Promise<Element>;
    onOnline(h: (resumed: boolean) => void | Promise<void>): () => void;
  };
}

export interface PushOptions {
  /** The VAPID public key (the `push` attribute), base64url. */
  vapidKey: string;
  /** The push bridge's address (the `push-service` attribute). */
  bridgeJid: string;
  /** Path of the service worker (the `service-worker` attribute); default `/cc-sw.js`. */
  serviceWorker?: string;
  /** Service worker scope; default: the browser's (the script's folder). */
  scope?: string;
  /** How long to wait for the browser's push service; default 20 s. */
  subscribeTimeoutMs?: number;
  /** Ask the bridge to leave message text out of pushes. */
  privacy?: boolean;
  /** A permission request started by the caller inside a user gesture (else one is made here). */
  permission?: Promise<NotificationPermission>;
  /** Page to open from a notification when none is open; default: this page. */
  url?: string;
}

interface Remembered {
  on: true;
  bridge: string;
  node: string;
  serviceWorker: string;
}

const DEFAULT_SW = '/cc-sw.js';
const states = new WeakMap<PushSession, WritableAtom<PushState>>();
const watching = new WeakSet<PushSession>();

/** The push state of a session's account (one store per session). */
export function pushState(session: PushSession): ReadableAtom<PushState> {
  return stateOf(session);
}

function stateOf(session: PushSession): WritableAtom<PushState> {
  let s = states.get(session);
  if (!s) states.set(session, (s = atom<PushState>(initialState())));
  return s;
}

function unsupportedReason(): string | undefined {
  if (typeof window === 'undefined' || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return 'This browser cannot receive notifications from websites.';
  }
  if (!window.isSecureContext) return 'Notifications need a secure (https) page.';
  return undefined;
}

const DENIED = 'Notifications are blocked for this site in the browser settings.';

function initialState(): PushState {
  const why = unsupportedReason();
  if (why) return { status: 'unsupported', message: why };
  if (Notification.permission === 'denied') return { status: 'denied', message: DENIED };
  return { status: 'off' };
}

const storageKey = (bare: string) => `cc.push:${bare}`;

function remembered(bare: string): Remembered | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(storageKey(bare)) ?? 'null') as Remembered | null;
    return v?.on === true && typeof v.node === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function remember(bare: string, r: Remembered | undefined) {
  try {
    if (r) localStorage.setItem(storageKey(bare), JSON.stringify(r));
    else localStorage.removeItem(storageKey(bare));
  } catch {
    // Storage may be unavailable (privacy modes); push still works for this page's lifetime.
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new PushError(message)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

class PushError extends Error {}

function keyBytes(base64url: string): Uint8Array {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(b64);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

/** The registration once its worker is active (a fresh one installs first). */
async function activeRegistration(script: string, scope: string | undefined): Promise<ServiceWorkerRegistration> {
  let reg: ServiceWorkerRegistration;
  try {
    reg = await navigator.serviceWorker.register(script, scope ? { scope } : undefined);
  } catch (e) {
    throw new PushError(`The service worker ${script} could not be registered (attribute service-worker): ${(e as Error).message}`);
  }
  if (reg.active) return reg;
  const worker = reg.installing ?? reg.waiting;
  await withTimeout(new Promise<void>((resolve, reject) => {
    const check = () => {
      if (reg.active) resolve();
      else if (worker?.state === 'redundant') reject(new PushError(`The service worker ${script} failed to install`));
    };
    worker?.addEventListener('statechange', check);
    check();
  }), 30_000, `The service worker ${script} did not activate`);
  return reg;
}

async function subscribe(reg: ServiceWorkerRegistration, vapidKey: string, timeoutMs: number): Promise<PushSubscription> {
  let key: Uint8Array;
  try {
    key = keyBytes(vapidKey);
  } catch {
    throw new PushError('The push key (attribute push) is not a base64url VAPID public key.');
  }
  if (key.length !== 65) throw new PushError('The push key (attribute push) is not a VAPID public key (65 bytes, base64url).');
  const existing = await reg.pushManager.getSubscription();
  if (existing && sameKey(existing.options.applicationServerKey, key)) return existing;
  await existing?.unsubscribe().catch(() => false);
  try {
    return await withTimeout(
      reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key as BufferSource }),
      timeoutMs,
      `No answer from this browser's push service within ${Math.round(timeoutMs / 1000)} s, so notifications cannot be turned on here. The browser may be offline or have no push service.`,
    );
  } catch (e) {
    if (e instanceof PushError) throw e;
    const err = e as DOMException;
    if (err.name === 'NotAllowedError') throw Object.assign(new PushError(DENIED), { denied: true });
    throw new PushError(`This browser's push service refused the subscription: ${err.message || err.name}`);
  }
}

/** This page without query or fragment (which may carry things the bridge has no business storing). */
function pageUrl(): string {
  return location.origin + location.pathname;
}

/** Registers the subscription with the bridge and enables XEP-0357 toward it on our server. */
async function connect(session: PushSession, sub: PushSubscription, opts: PushOptions): Promise<string> {
  const conn = session.connection;
  if (!conn.online) throw new PushError('Not connected to the chat server; try again when online.');
  let reg;
  try {
    const answer = await conn.request(buildRegister(opts.bridgeJid, sub.toJSON(), { id: crypto.randomUUID(), url: opts.url ?? pageUrl(), privacy: opts.privacy }));
    reg = parseRegistered(answer);
  } catch (e) {
    throw new PushError(`The push service ${opts.bridgeJid} (attribute push-service) did not accept the subscription: ${describe(e)}`);
  }
  if (!reg) throw new PushError(`The push service ${opts.bridgeJid} (attribute push-service) gave no node`);
  try {
    await conn.request(buildEnable(opts.bridgeJid, reg, crypto.randomUUID()));
  } catch (e) {
    throw new PushError(`The chat server did not enable push notifications: ${describe(e)}`);
  }
  return reg.node;
}

function describe(e: unknown): string {
  const x = e as { condition?: string; text?: string; message?: string };
  return x.text || x.condition || x.message || String(e);
}

/**
 * Turns push on. Call it directly from a click (or pass `permission` from one): the permission
 * prompt needs the user's gesture. Resolves with the new state; never throws.
 */
export function enablePush(session: PushSession, opts: PushOptions): Promise<PushState> {
  const state = stateOf(session);
  const why = unsupportedReason();
  if (why) {
    state.set({ status: 'unsupported', message: why });
    return Promise.resolve(state.get());
  }
  // Synchronously, while the gesture's activation is valid.
  const permission = opts.permission
    ?? (Notification.permission === 'default' ? Notification.requestPermission() : Promise.resolve(Notification.permission));
  state.set({ ...state.get(), busy: true });
  return (async (): Promise<PushState> => {
    try {
      if ((await permission) !== 'granted') return { status: 'denied', message: DENIED };
      const script = opts.serviceWorker || DEFAULT_SW;
      const reg = await activeRegistration(script, opts.scope);
      const sub = await subscribe(reg, opts.vapidKey, opts.subscribeTimeoutMs ?? 20_000);
      const node = await connect(session, sub, opts);
      remember(session.connection.bare, { on: true, bridge: opts.bridgeJid, node, serviceWorker: script });
      watch(session, opts);
      return { status: 'on' };
    } catch (e) {
      if ((e as { denied?: boolean }).denied) return { status: 'denied', message: DENIED };
      return { status: 'error', message: e instanceof PushError ? e.message : `Notifications could not be turned on: ${describe(e)}` };
    }
  })().then((s) => {
    state.set(s);
    return s;
  });
}

/** Turns push off: XEP-0357 disable, unregister at the bridge, unsubscribe the browser. Never throws. */
export async function disablePush(session: PushSession, opts: Pick<PushOptions, 'bridgeJid' | 'serviceWorker'>): Promise<PushState> {
  const state = stateOf(session);
  state.set({ ...state.get(), busy: true });
  const conn = session.connection;
  const mem = conn.bare ? remembered(conn.bare) : undefined;
  const bridge = mem?.bridge ?? opts.bridgeJid;
  if (mem && conn.online) {
    await conn.request(buildDisable(bridge, mem.node, crypto.randomUUID())).catch(() => {});
    await conn.request(buildUnregister(bridge, mem.node, crypto.randomUUID())).catch(() => {});
  }
  if (conn.bare) remember(conn.bare, undefined);
  if (!unsupportedReason()) {
    const reg = await navigator.serviceWorker.getRegistration(mem?.serviceWorker ?? opts.serviceWorker ?? DEFAULT_SW).catch(() => undefined);
    const sub = await reg?.pushManager.getSubscription().catch(() => null);
    await sub?.unsubscribe().catch(() => false);
  }
  const next = initialState();
  state.set(next);
  return next;
}

/**
 * Restores the remembered state for this session's account (after a reload), and keeps the server
 * and bridge in step on every fresh login. Call once the element knows its push options.
 */
export function restorePush(session: PushSession, opts: PushOptions): ReadableAtom<PushState> {
  watch(session, opts);
  if (session.connection.online) void refresh(session, opts);
  return stateOf(session);
}

function watch(session: PushSession, opts: PushOptions) {
  if (watching.has(session)) return;
  watching.add(session);
  let refreshed = false;
  session.connection.onOnline((resumed) => {
    // A stream resumed from the page before a reload is new to this page: refresh once.
    if (resumed && refreshed) return;
    refreshed = true;
    void refresh(session, opts);
  });
}

/** Re-registers and re-enables when push is remembered as on and the browser still has a subscription. */
async function refresh(session: PushSession, opts: PushOptions) {
  const state = stateOf(session);
  const base = initialState();
  const mem = remembered(session.connection.bare);
  if (!mem || base.status !== 'off' || Notification.permission !== 'granted') {
    if (!state.get().busy) state.set(base);
    return;
  }
  try {
    const reg = await navigator.serviceWorker.getRegistration(mem.serviceWorker);
    const sub = await reg?.pushManager.getSubscription();
    if (!sub) {
      remember(session.connection.bare, undefined);
      state.set(base);
      return;
    }
    const node = await connect(session, sub, { ...opts, bridgeJid: mem.bridge });
    remember(session.connection.bare, { ...mem, node });
    state.set({ status: 'on' });
  } catch (e) {
    state.set({ status: 'error', message: e instanceof PushError ? e.message : describe(e) });
  }
}

// ---- The page side of notification clicks ----

/** What a notification click asks the page to do. */
export interface PushIntent {
  conversation: string;
  kind: 'message' | 'call';
  action: 'open' | 'accept' | 'decline';
}

const $intent = atom<PushIntent | null>(null);
let listening = false;

/**
 * The latest notification click for this page: from the service worker's message (a page was
 * open) or from the URL it opened (`?cc-open=<jid>&cc-action=…`, removed from the address bar).
 * Elements subscribe, act (open the conversation, answer the call), then call `consumePushIntent()`.
 */
export function pushIntents(): ReadableAtom<PushIntent | null> {
  if (listening || typeof window === 'undefined') return $intent;
  listening = true;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', (e: MessageEvent) => {
      const d = e.data as Partial<OpenMessage> | null;
      if (d?.type !== 'cc-push-open' || typeof d.conversation !== 'string') return;
      $intent.set({ conversation: d.conversation, kind: d.kind === 'call' ? 'call' : 'message', action: d.action === 'accept' || d.action === 'decline' ? d.action : 'open' });
    });
    navigator.serviceWorker.startMessages();
  }
  const u = new URL(location.href);
  const conversation = u.searchParams.get('cc-open');
  if (conversation) {
    const action = u.searchParams.get('cc-action');
    $intent.set({ conversation, kind: action ? 'call' : 'message', action: action === 'accept' || action === 'decline' ? action : 'open' });
    u.searchParams.delete('cc-open');
    u.searchParams.delete('cc-action');
    history.replaceState(history.state, '', u.href);
  }
  return $intent;
}

/** Marks the current intent as handled. */
export function consumePushIntent(): void {
  $intent.set(null);
}

/** Closes the notification of a conversation, e.g. when the user opens it in the page. */
export async function clearPushNotifications(conversation: string, serviceWorker = DEFAULT_SW): Promise<void> {
  if (unsupportedReason()) return;
  const reg = await navigator.serviceWorker.getRegistration(serviceWorker).catch(() => undefined);
  for (const n of (await reg?.getNotifications({ tag: tagFor('message', conversation) })) ?? []) n.close();
}
