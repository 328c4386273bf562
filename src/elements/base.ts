// Shared behaviour of every cc-* element: the account attributes, attaching to the page's shared
// session, connection events, and the visible error state. Subclasses render; they build no stanzas.
import { LitElement, html, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ReadableAtom } from 'nanostores';
import { isProblem, parseConfig } from '../core/config.js';
import type { CcError, ConnectionState } from '../core/connection.js';
import type { Session } from '../core/session.js';
import { loadLocale, t, translated, uiDir, uiLang } from './i18n.js';

// The session core (the XMPP library and every protocol module) loads beside the first paint, not
// before it: the fetch starts as soon as this module runs, and elements render their shell meanwhile.
const core = import('../core/registry.js');

const ACCOUNT_ATTRS = ['service', 'domain', 'jid', 'password', 'credentialsUrl', 'anonymous', 'nick'] as const;

/**
 * @attr lang - UI language (BCP 47); default: the page's `lang`, then the browser's.
 * @attr dir - `rtl` or `ltr`; default: the nearest `dir` up the page, else the UI language's direction (Arabic, Hebrew, Persian, Urdu: right-to-left).
 */
export abstract class CcElement extends LitElement {
  // Reactive properties, declared here rather than by decorators (smaller output). Internal state is
  // `attribute: false` rather than `state: true` in the public elements: the manifest generator reads
  // this object and would list state as attributes.
  static override properties: PropertyDeclarations = {
    service: {},
    domain: {},
    jid: {},
    password: {},
    credentialsUrl: { attribute: 'credentials-url' },
    anonymous: { type: Boolean },
    nick: {},
    theme: { reflect: true },
    session: { attribute: false },
    configError: { attribute: false },
  };
  /** XMPP WebSocket URL (RFC 7395); discovered from `domain` (XEP-0156) when absent. */
  service?: string;
  /** XMPP domain; defaults to the domain of `jid`, else the host of `service`. */
  domain?: string;
  /** Account address for direct login (development, internal tools). */
  jid?: string;
  /** Password for `jid`. */
  password?: string;
  /** Endpoint returning `{ jid, password | token, service? }` for the host site's logged-in user. */
  credentialsUrl?: string;
  /** Guest login (SASL ANONYMOUS). */
  anonymous = false;
  /** Display name. */
  nick?: string;
  /** `light`, `dark` or `auto`. */
  theme: 'light' | 'dark' | 'auto' = 'auto';

  protected session?: Session;
  protected configError?: CcError;
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
    this.localize();
  }

  static override get observedAttributes() {
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null) {
    super.attributeChangedCallback(name, old, value);
    // Before the first connection (an upgrade reports the attributes first) connectedCallback does it.
    if ((name === 'lang' || name === 'dir') && old !== value && this.isConnected && this.renderRoot) this.localize();
  }

  private dirSheet?: CSSStyleSheet;

  /**
   * Strings and direction for the UI language: its catalog loads, and a right-to-left language lays
   * the widget out right-to-left unless a `dir` on the page says otherwise (see uiDir).
   */
  private localize() {
    void loadLocale(this.language).then((changed) => changed && this.requestUpdate());
    const root = this.renderRoot as ShadowRoot;
    const dir = uiDir(this);
    if (!this.dirSheet && (!dir || !root.adoptedStyleSheets)) return;
    this.dirSheet ??= new CSSStyleSheet();
    this.dirSheet.replaceSync(dir ? `:host{direction:${dir}}` : '');
    if (!root.adoptedStyleSheets.includes(this.dirSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.dirSheet];
    this.requestUpdate();
  }

  /** The UI language: `lang` on the element, else the page's, else the browser's. */
  get language(): string {
    return uiLang(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.detach();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // Frameworks may set the account after insertion and before the first render (Angular does):
    // compare with what the session was attached with, not only on later updates.
    if (this.isConnected && ACCOUNT_ATTRS.some((k) => changed.has(k)) && this.accountKey() !== this.attachedWith) {
      this.detach();
      this.attach();
    }
  }

  private attachedWith?: string;
  private accountKey() {
    return JSON.stringify(ACCOUNT_ATTRS.map((k) => this[k]));
  }

  /**
   * Signs the account out on this device: ends the session (for every element using it) and deletes
   * its cached conversations and unsent messages. A host site calls this when its user logs out.
   */
  async logout(): Promise<void> {
    const s = this.session;
    if (!s) return;
    (await core).forgetSession(s);
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
    this.attachedWith = this.accountKey();
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
      const generation = ++this.generation;
      core.then(({ acquireSession }) => {
        // Detached, or attached again with other attributes, while the core was loading.
        if (generation !== this.generation) return;
        const s = acquireSession(cfg);
        this.session = s;
        this.watch(s.connection.$state, () => this.reportState());
        this.watch(s.connection.$error, () => this.reportState());
        this.sessionAttached(s);
        this.reportState();
      }).catch((e: unknown) => this.failAttach(e));
    } catch (e) {
      this.failAttach(e);
    }
  }

  /** Never throw into the host page; show it instead. */
  private failAttach(e: unknown) {
    this.configError = { code: 'invalid-attribute', message: String(e) };
    this.reportState();
  }

  private generation = 0;

  private detach() {
    this.generation++;
    this.unwatch.forEach((u) => u());
    this.unwatch = [];
    const s = this.session;
    if (s) void core.then(({ releaseSession }) => releaseSession(s));
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
    const l = this.language;
    // The core's message is English and specific; in another language a translated summary leads.
    const summary = errorSummary(l, err.code);
    return html`<div class="error" role="alert" part="error">
      <strong>${this.localName}: ${summary ?? err.message}</strong>
      ${summary ? html`<span class="attr" lang="en">${err.message}</span>` : null}
      ${err.attribute ? html`<span class="attr">(${t(l, 'attribute')} <code>${err.attribute}</code>)</span>` : null}
    </div>`;
  }
}

/** A translated summary of an error by its code; undefined in English (the message says it all). */
function errorSummary(l: string, code: string): string | undefined {
  const s = code === 'missing-attribute' ? t(l, 'A required attribute is missing.')
    : code === 'invalid-attribute' ? t(l, 'An attribute has an invalid value.')
    : code === 'missing-service' ? t(l, 'No chat server address was found.')
    : code === 'auth-failed' ? t(l, 'The server refused the login.')
    : code === 'unreachable' ? t(l, 'The chat server cannot be reached.')
    : code === 'credentials-url' ? t(l, 'The login details could not be fetched.')
    : undefined;
  return translated(l) ? s : undefined;
}
