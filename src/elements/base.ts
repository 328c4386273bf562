// Shared behaviour of every cc-* element: the account attributes, attaching to the page's shared
// session, connection events, and the visible error state. Subclasses render; they build no stanzas.
import { LitElement, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ReadableAtom } from 'nanostores';
import { isProblem, parseConfig } from '../core/config.js';
import type { CcError, ConnectionState } from '../core/connection.js';
import { acquireSession, forgetSession, releaseSession } from '../core/registry.js';
import type { Session } from '../core/session.js';

const ACCOUNT_ATTRS = ['service', 'domain', 'jid', 'password', 'credentialsUrl', 'anonymous', 'nick'] as const;

export abstract class CcElement extends LitElement {
  /** XMPP WebSocket URL (RFC 7395); discovered from `domain` (XEP-0156) when absent. */
  @property() service?: string;
  /** XMPP domain; defaults to the domain of `jid`, else the host of `service`. */
  @property() domain?: string;
  /** Account address for direct login (development, internal tools). */
  @property() jid?: string;
  /** Password for `jid`. */
  @property() password?: string;
  /** Endpoint returning `{ jid, password | token, service? }` for the host site's logged-in user. */
  @property({ attribute: 'credentials-url' }) credentialsUrl?: string;
  /** Guest login (SASL ANONYMOUS). */
  @property({ type: Boolean }) anonymous = false;
  /** Display name. */
  @property() nick?: string;
  /** `light`, `dark` or `auto`. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';

  @state() protected session?: Session;
  @state() protected configError?: CcError;
  private unwatch: (() => void)[] = [];
  private lastError?: string;
  private lastState?: ConnectionState;
  private readied = false;

  protected get connectionState(): ConnectionState {
    return this.configError ? 'error' : (this.session?.connection.$state.get() ?? 'connecting');
  }

  protected get error(): CcError | undefined {
    return this.configError ?? this.session?.connection.$error.get() ?? undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.attach();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.detach();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (this.isConnected && ACCOUNT_ATTRS.some((k) => changed.has(k)) && this.hasUpdated) {
      this.detach();
      this.attach();
    }
  }

  /**
   * Signs the account out on this device: ends the session (for every element using it) and deletes
   * its cached conversations and unsent messages. A host site calls this when its user logs out.
   */
  async logout(): Promise<void> {
    const s = this.session;
    if (!s) return;
    forgetSession(s);
    await s.logout();
    this.requestUpdate();
  }

  /** Re-render whenever `store` changes, for as long as this session is attached. */
  protected watch<T>(store: ReadableAtom<T>, onChange?: (v: T) => void) {
    this.unwatch.push(store.listen((v) => {
      onChange?.(v);
      this.requestUpdate();
    }));
  }

  /** Called after a session is attached; subclasses subscribe to its stores here. */
  protected abstract sessionAttached(session: Session): void;

  protected emit<T>(type: string, detail: T) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private attach() {
    try {
      const cfg = parseConfig({
        service: this.service, domain: this.domain, jid: this.jid, password: this.password,
        'credentials-url': this.credentialsUrl, anonymous: this.anonymous ? '' : null, nick: this.nick,
      });
      if (isProblem(cfg)) {
        this.configError = { code: cfg.code, attribute: cfg.attribute, message: cfg.message };
        this.reportState();
        return;
      }
      this.configError = undefined;
      const s = acquireSession(cfg);
      this.session = s;
      this.watch(s.connection.$state, () => this.reportState());
      this.watch(s.connection.$error, () => this.reportState());
      this.sessionAttached(s);
      this.reportState();
    } catch (e) {
      // Never throw into the host page; show it instead.
      this.configError = { code: 'invalid-attribute', message: String(e) };
      this.reportState();
    }
  }

  private detach() {
    this.unwatch.forEach((u) => u());
    this.unwatch = [];
    if (this.session) releaseSession(this.session);
    this.session = undefined;
  }

  private reportState() {
    const state = this.connectionState;
    if (state !== this.lastState) {
      this.lastState = state;
      this.emit('cc-connection-change', { state });
      if (state === 'online' && !this.readied) {
        this.readied = true;
        this.updateComplete.then(() => this.emit('cc-ready', { jid: this.session?.connection.jid }));
      }
    }
    const err = this.error;
    const sig = err ? `${err.code}:${err.message}` : undefined;
    if (err && sig !== this.lastError) this.emit('cc-error', { code: err.code, message: err.message, attribute: err.attribute });
    this.lastError = sig;
    this.requestUpdate();
  }

  protected renderError() {
    const err = this.error;
    if (!err || this.connectionState === 'online') return null;
    return html`<div class="error" role="alert" part="error">
      <strong>${this.localName}: ${err.message}</strong>
      ${err.attribute ? html`<span class="attr">(attribute <code>${err.attribute}</code>)</span>` : null}
    </div>`;
  }
}
