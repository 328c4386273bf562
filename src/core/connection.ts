// One XMPP stream for one account: login, connection state, and reconnect with backoff.
// Protocol modules plug in through onStanza/onOnline; nothing here knows about messages or rooms.
import { atom } from 'nanostores';
import { backoffDelay } from './backoff.js';
import type { AccountConfig } from './config.js';
import { IqRoutes, type IqHandler } from './iq-routes.js';
import { watchPage } from './page.js';
import { discoverWebSocket } from './protocol/discovery.js';
import { cutHandshakeForgetter, smEnabled, watchStream } from './stream-management.js';
import { client, xml, type Client, type Element } from './xmpp.js';

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'error';

export interface CcError {
  code: 'missing-attribute' | 'invalid-attribute' | 'missing-service' | 'auth-failed' | 'unreachable' | 'credentials-url';
  message: string;
  attribute?: string;
}

type Emitter = { on(event: string, fn: (...args: unknown[]) => void): void };
type StanzaHandler = (stanza: Element) => boolean | void;
type OnlineHook = (resumed: boolean) => void | Promise<void>;
type LoginSecret = { username?: string; password?: string };
type SaslAuthenticate = (credentials: LoginSecret, mechanism: string) => Promise<void>;
/** Longest a login (socket, authentication, resume or bind) may take before it is retried. */
const HANDSHAKE_TIMEOUT = 20_000;
type AckHandler = (stanza: Element, acked: boolean) => void;
/** Prepares a new client to resume a stream instead of starting a session; false if it cannot. */
export type Resumer = (x: Client, service: string, bareJid: string) => boolean;

export class Connection {
  readonly $state = atom<ConnectionState>('connecting');
  readonly $error = atom<CcError | null>(null);
  /** Our full JID once online. */
  jid = '';
  /** How many fresh (not resumed) streams came online: tells what was sent on the current one. */
  streams = 0;
  bare = '';
  private xmpp?: Client;
  private service?: string;
  private readonly handlers = new Set<StanzaHandler>();
  private readonly onlineHooks = new Set<OnlineHook>();
  private readonly iqRoutes = new IqRoutes();
  private readonly ackHandlers = new Set<AckHandler>();
  private resumer?: Resumer;
  private attempt = 0;
  private forgetCutHandshakes?: () => void;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private everOnline = false;
  private authRetried = false;
  private lastError?: Error;
  /** This account was online from this device before (the cache says so): failing to connect now is being offline, not a wrong address. */
  private knownReachable = false;

  constructor(private readonly config: AccountConfig, private readonly resource: string) {}

  onStanza(h: StanzaHandler): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  /** Serves iq requests; anything unserved is answered service-unavailable by the library. */
  onIq(type: 'get' | 'set', ns: string, name: string, handler: IqHandler) {
    this.iqRoutes.add({ type, ns, name, handler }, this.xmpp);
  }

  onOnline(h: OnlineHook): () => void {
    this.onlineHooks.add(h);
    return () => this.onlineHooks.delete(h);
  }

  get online(): boolean {
    return this.$state.get() === 'online';
  }

  async send(el: Element): Promise<void> {
    if (!this.xmpp || !this.online) throw new Error('not connected');
    await this.xmpp.send(el);
  }

  async request(iq: Element, timeoutMs = 15_000): Promise<Element> {
    if (!this.xmpp || !this.online) throw new Error('not connected');
    return this.xmpp.iqCaller.request(iq, timeoutMs);
  }

  /** The transport's stream-management state. */
  get streamManagement() {
    return this.xmpp?.streamManagement;
  }

  /** Whether the server acknowledges what we send (XEP-0198) on the current stream. */
  get smEnabled(): boolean {
    return smEnabled(this.xmpp);
  }

  /** The server acknowledged a stanza we sent (true), or the stream it went out on is gone (false). */
  onStreamAck(h: AckHandler): () => void {
    this.ackHandlers.add(h);
    return () => this.ackHandlers.delete(h);
  }

  /** The account was online from this device before: not reaching the server now means offline. */
  markReachable() {
    this.knownReachable = true;
    if (this.$state.get() === 'error' && this.$error.get()?.code === 'unreachable') {
      this.$error.set(null);
      this.$state.set('offline');
    }
  }

  /** The current client and the address it talks to (for saving its stream for the next page). */
  get transport(): { client?: Client; service?: string } {
    return { client: this.xmpp, service: this.service };
  }

  /** The first connection resumes a stream (left by the previous page) when the server still has it. */
  resumeOnStart(r: Resumer) {
    this.resumer = r;
  }

  private watching = false;
  private csi = false;

  private watchEnvironment() {
    if (this.watching) return;
    this.watching = true;
    watchPage({
      retryNow: () => this.retryNow(),
      dropLink: () => {
        if (!this.online || !this.xmpp) return;
        void this.xmpp.disconnect().catch(() => {});
        this.lost();
      },
      visibilityChanged: () => void this.sendClientState(),
    });
  }

  private async sendClientState() {
    if (!this.csi || !this.online || !this.xmpp) return;
    const state = document.visibilityState === 'visible' ? 'active' : 'inactive';
    await this.xmpp.send(xml(state, { xmlns: 'urn:xmpp:csi:0' })).catch(() => {});
  }

  async start(): Promise<void> {
    this.watchEnvironment();
    this.stopped = false;
    this.$state.set(this.everOnline ? 'offline' : 'connecting');
    try {
      this.service ??= this.config.service ?? (await discoverWebSocket(this.config.domain));
      if (!this.service) {
        return this.fail({
          code: 'missing-service', attribute: 'service',
          message: `No "service" attribute, and ${this.config.domain} advertises no XMPP WebSocket endpoint (XEP-0156)`,
        });
      }
      const creds = await this.credentials();
      if (this.stopped) return;
      // A host site's token is short-lived: every later login (a reconnect that cannot resume
      // without authenticating) asks credentials-url again instead of replaying an expired token.
      let first: LoginSecret | undefined = creds.auth;
      const auth = this.config.login.kind === 'credentials-url'
        ? {
          credentials: async (authenticate: SaslAuthenticate, mechanisms: string[]) => {
            const c = first ?? (await this.credentials()).auth;
            first = undefined;
            await authenticate(c, mechanisms.includes('PLAIN') ? 'PLAIN' : mechanisms[0]!);
          },
        }
        : creds.auth;
      // The library's 2 s for each step of a login is short for a busy server: on a timeout it gives
      // up on a link that then goes on logging in, under a new attempt already on its way.
      const x = client({ service: this.service, domain: creds.domain, resource: this.resource, timeout: 10_000, ...auth } as Parameters<typeof client>[0]);
      this.xmpp = x;
      // We reconnect ourselves, with backoff; the library's fixed 1 s retry would hammer a restarting server.
      x.reconnect.stop();
      watchStream(x, {
        online: () => void this.becameOnline(false),
        ack: (stanza, acked) => this.ackHandlers.forEach((h) => h(stanza, acked)),
      });
      this.iqRoutes.installAll(x);
      x.on('error', (e: Error) => this.onError(e));
      x.on('stanza', (s: Element) => this.route(s));
      x.on('nonza', (n: Element) => {
        if (n.is('features', 'http://etherx.jabber.org/streams')) this.csi = !!n.getChild('csi', 'urn:xmpp:csi:0');
      });
      (x.streamManagement as unknown as Emitter).on('resumed', () => void this.becameOnline(true));
      x.on('disconnect', () => this.lost());
      this.resumer?.(x, this.service, `${creds.auth.username}@${creds.domain}`.toLowerCase());
      this.resumer = undefined;
      this.forgetCutHandshakes = cutHandshakeForgetter(x);
      // Not x.start(): it waits for 'online', which never comes when the stream resumes.
      await this.handshake(x);
    } catch (e) {
      this.onError(e as Error);
      this.lost();
    }
  }

  /** Connects and opens the stream; a login that does not finish in time is dropped and retried. */
  private async handshake(x: Client) {
    this.forgetCutHandshakes?.();
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.xmpp === x && !this.online && !this.stopped) void x.disconnect().catch(() => {});
    }, HANDSHAKE_TIMEOUT);
    await x.connect(this.service!);
    await x.open({ domain: x.options.domain ?? this.config.domain, lang: x.options.lang });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.watchdog);
    const x = this.xmpp;
    this.xmpp = undefined;
    this.$state.set('offline');
    await x?.stop().catch(() => {});
  }

  private async credentials(): Promise<{ domain: string; auth: LoginSecret }> {
    const l = this.config.login;
    if (l.kind === 'password') return { domain: l.jid.split('@')[1]!, auth: { username: l.jid.split('@')[0], password: l.password } };
    if (l.kind === 'anonymous') return { domain: this.config.domain, auth: {} };
    const res = await fetch(l.url, { credentials: 'include', headers: { accept: 'application/json' } });
    if (!res.ok) throw Object.assign(new Error(`credentials-url answered ${res.status}`), { ccCode: 'credentials-url' });
    const c = (await res.json()) as { jid?: string; password?: string; token?: string; service?: string };
    if (!c.jid || !(c.password ?? c.token)) {
      throw Object.assign(new Error('credentials-url must return {"jid", "password" or "token"}'), { ccCode: 'credentials-url' });
    }
    if (c.service) this.service = c.service;
    return { domain: c.jid.split('@')[1]!, auth: { username: c.jid.split('@')[0], password: c.password ?? c.token } };
  }

  private route(s: Element) {
    for (const h of this.handlers) {
      try {
        if (h(s) === true) return;
      } catch (e) {
        // A malformed stanza must not take the session down; it is dropped.
        console.warn('cc: ignored a stanza that could not be handled', e);
      }
    }
  }

  private async becameOnline(resumed: boolean) {
    if (!this.xmpp?.jid) return;
    clearTimeout(this.watchdog);
    this.jid = this.xmpp.jid.toString();
    this.bare = this.xmpp.jid.bare().toString().toLowerCase();
    this.attempt = 0;
    this.authRetried = false;
    this.everOnline = true;
    if (!resumed) this.streams++;
    this.$error.set(null);
    this.$state.set('online');
    if (document.visibilityState === 'hidden') void this.sendClientState();
    for (const h of this.onlineHooks) await Promise.resolve(h(resumed)).catch((e) => console.warn('cc:', e));
  }

  private onError(e: Error & { condition?: string; ccCode?: string }) {
    if (e === this.lastError) return; // the library reports one failure both as an event and a rejection
    this.lastError = e;
    if (e.name === 'SASLError' && this.config.login.kind === 'credentials-url' && !this.authRetried) {
      // Probably a token that expired between fetching and using it: fetch a new one, once.
      this.authRetried = true;
      void this.xmpp?.disconnect().catch(() => {});
      this.lost();
    } else if (e.name === 'SASLError') {
      const byUrl = this.config.login.kind === 'credentials-url';
      this.fail({
        code: 'auth-failed', attribute: byUrl ? 'credentials-url' : 'password',
        message: byUrl
          ? `Login refused by the server (${e.condition ?? 'not-authorized'}) with the credentials from credentials-url`
          : `Login refused by the server (${e.condition ?? 'not-authorized'}): check the address and password`,
      });
    } else if (e.ccCode === 'credentials-url') {
      this.fail({ code: 'credentials-url', attribute: 'credentials-url', message: e.message });
    } else if (!this.everOnline && !this.knownReachable && this.$state.get() !== 'error') {
      this.$error.set({ code: 'unreachable', attribute: 'service', message: `Cannot reach the chat server at ${this.service}` });
    }
  }

  /** A fatal error: shown, and no retry until the configuration changes. */
  private fail(err: CcError) {
    this.stopped = true;
    clearTimeout(this.timer);
    this.$error.set(err);
    this.$state.set('error');
    void this.xmpp?.stop().catch(() => {});
  }

  private lost() {
    if (this.stopped) return;
    const offline = this.everOnline || this.knownReachable;
    this.$state.set(offline ? 'offline' : 'error');
    if (!offline && !this.$error.get()) {
      this.$error.set({ code: 'unreachable', attribute: 'service', message: `Cannot reach the chat server at ${this.service}` });
    }
    this.scheduleReconnect();
  }

  /** Try again now (the browser came back online, or the tab became visible). */
  retryNow() {
    if (this.stopped || this.online) return;
    this.attempt = 0;
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(delay = backoffDelay(this.attempt++)) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect() {
    if (this.stopped || this.online) return;
    const x = this.xmpp;
    if (!x || !this.everOnline) {
      // Never logged in: a fresh client is simplest and has nothing to resume.
      const old = this.xmpp;
      this.xmpp = undefined;
      old?.removeAllListeners();
      await old?.stop().catch(() => {});
      return this.start();
    }
    try {
      if (x.status !== 'disconnect' && x.status !== 'offline') await x.disconnect().catch(() => {});
      // Same entity, so stream management can resume the session and replay unacknowledged stanzas.
      await this.handshake(x);
    } catch {
      this.lost();
    }
  }
}
