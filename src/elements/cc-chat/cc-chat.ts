import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Session } from '../../core/session.js';
import { CcElement } from '../base.js';
import type { ChatView } from './chat-view.js';
import { chatStyles } from './styles.js';

let panes: Promise<unknown> | undefined;
const loadPanes = () => (panes ??= import('./panes.js'));

const WIDE = 640;

/**
 * Real-time chat over XMPP: a conversation list, 1:1 chats and group rooms.
 *
 * @tag cc-chat
 * @fires cc-ready - The session is online and the element has rendered. detail: `{ jid }`
 * @fires cc-connection-change - detail: `{ state: 'connecting' | 'online' | 'offline' | 'error' }`
 * @fires cc-open-change - The launcher panel opened or closed. detail: `{ open }`
 * @fires cc-unread-change - The total of unread messages changed. detail: `{ total }`
 * @fires cc-message - An incoming message. detail: `{ from, conversation, text }`
 * @fires cc-error - Configuration, login or connection problem. detail: `{ code, message, attribute? }`
 * @fires cc-push-call - A call notification was clicked (for cc-call). detail: `{ conversation, action }`
 * @csspart launcher - The floating button in launcher mode.
 * @csspart badge - The unread badge on the launcher.
 * @csspart panel - The chat panel.
 * @csspart error - The error box.
 * @cssprop --cc-accent - Accent colour (buttons, own messages).
 * @cssprop --cc-bg - Background colour.
 * @cssprop --cc-fg - Text colour.
 * @cssprop --cc-radius - Corner radius.
 * @cssprop --cc-font - Font family.
 * @cssprop --cc-z-index - Stacking level of the launcher and panel.
 */
export class CcChat extends CcElement {
  static override styles = chatStyles;

  /** `launcher` (floating button + panel), `embedded` (fills its parent) or `split` (list and conversation side by side when wide). */
  @property({ reflect: true }) mode: 'launcher' | 'embedded' | 'split' = 'launcher';
  /** Open a 1:1 conversation with this JID; with `mode="launcher"` a single support conversation without a list. */
  @property() with?: string;
  /** Join and open this group room. */
  @property() room?: string;
  /** Whether the launcher panel is open (reflected). */
  @property({ type: Boolean, reflect: true }) open = false;
  /** Side of the page for the launcher: `right` or `left`. */
  @property({ reflect: true }) position: 'right' | 'left' = 'right';
  /** Hide the `New chat` button. */
  @property({ type: Boolean, attribute: 'no-new-chat' }) noNewChat = false;
  /** Show a tab with the contacts currently online. */
  @property({ type: Boolean, attribute: 'online-users' }) onlineUsers = false;
  /** VAPID public key of the push bridge; enables web push (an `Enable notifications` button). */
  @property() push?: string;
  /** JID of the push bridge (the XEP-0357 app server), e.g. `push.example.com`. */
  @property({ attribute: 'push-service' }) pushService?: string;
  /** Path of the service worker, same origin as the page. */
  @property({ attribute: 'service-worker' }) serviceWorker = '/cc-sw.js';

  @state() private current = '';
  @state() private view: 'list' | 'conversation' | 'new' = 'list';
  @state() private wide = false;
  @state() private panesReady = false;
  private offIncoming?: () => void;
  private offPush?: () => void;
  private resize?: ResizeObserver;
  private lastUnread = 0;

  show() { this.setOpen(true); }
  hide() { this.setOpen(false); }
  toggle() { this.setOpen(!this.open); }

  /** Opens the conversation with `jid` (a contact or a joined room). */
  openConversation(jid: string) {
    this.current = jid.toLowerCase();
    this.view = 'conversation';
    this.updateActive();
    this.updateComplete.then(() => this.viewEl()?.updateComplete).then(() => this.viewEl()?.focusComposer());
  }

  private get supportMode() {
    return this.mode === 'launcher' && !!this.with;
  }

  protected override sessionAttached(s: Session) {
    this.offIncoming?.();
    this.offIncoming = s.onIncoming((e) => this.emit('cc-message', e));
    this.watch(s.$unreadTotal, (total) => {
      if (total !== this.lastUnread) this.emit('cc-unread-change', { total });
      this.lastUnread = total;
    });
    if (this.with) this.openConversation(this.with);
    if (this.room) this.joinRoom(this.room);
    this.offPush?.();
    // Push code loads only on pages that enable it, keeping first paint small.
    if (this.push) {
      void import('./push-control.js');
      void import('../../core/push.js').then((m) => {
        this.offPush = m.pushIntents().subscribe((i) => {
          if (!i) return;
          this.openConversation(i.conversation);
          this.show();
          void m.clearPushNotifications(i.conversation, this.serviceWorker);
          if (i.kind === 'call') this.emit('cc-push-call', i);
          m.consumePushIntent();
        });
      });
    }
  }

  private joinRoom(room: string) {
    const s = this.session;
    if (!s) return;
    const go = () => s.rooms.join(room).then(() => s.rooms.bookmark(room)).catch(() => {});
    if (s.connection.online) void go();
    else {
      const off = s.connection.$state.listen((st) => {
        if (st === 'online') { off(); void go(); }
      });
    }
    s.conversation(room, 'room');
    this.openConversation(room);
  }

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('keydown', this.onPanelKey);
    loadPanes().then(() => (this.panesReady = true), (e) => console.error('cc: could not load the chat panel', e));
    document.addEventListener('visibilitychange', this.updateActive);
    this.resize = new ResizeObserver(([e]) => {
      const wide = (e?.contentRect.width ?? 0) >= WIDE;
      if (wide !== this.wide) this.wide = wide;
    });
    this.resize.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.updateActive);
    this.removeEventListener('keydown', this.onPanelKey);
    this.resize?.disconnect();
    this.offIncoming?.();
    this.offPush?.();
    this.session?.setActive(null);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    if (!this.hasUpdated || !this.session) return;
    if (changed.has('with') && this.with) this.openConversation(this.with);
    if (changed.has('room') && this.room) this.joinRoom(this.room);
  }

  protected override updated(changed: PropertyValues) {
    if (changed.has('open') || changed.has('view') || changed.has('current')) this.updateActive();
  }

  /** Messages count as read only while the user can actually see the conversation. */
  private updateActive = () => {
    const s = this.session;
    if (!s) return;
    const visible = document.visibilityState === 'visible' && (this.mode !== 'launcher' || this.open);
    const showing = this.view === 'conversation' || (this.splitLayout && !!this.current);
    s.setActive(visible && showing && this.current ? this.current : null);
  };

  private get splitLayout() {
    return this.mode === 'split' && this.wide;
  }

  private viewEl(): ChatView | null {
    return this.renderRoot.querySelector('cc-chat-view');
  }

  private setOpen(open: boolean) {
    if (this.open === open) return;
    this.open = open;
    this.emit('cc-open-change', { open });
    this.updateComplete.then(() => {
      if (!open) return this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus();
      const view = this.viewEl();
      if (view) view.focusComposer();
      else this.renderRoot.querySelector<HTMLElement>('.panel')?.focus();
    });
  }

  private onPanelKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && this.mode === 'launcher' && this.open) {
      e.stopPropagation();
      this.hide();
    }
  };

  private onSelect = (e: CustomEvent<{ jid: string; kind: 'chat' | 'room' }>) => {
    this.session?.conversation(e.detail.jid, e.detail.kind);
    this.openConversation(e.detail.jid);
  };

  private onBack = () => {
    this.view = 'list';
    this.current = this.splitLayout ? this.current : '';
  };

  override render() {
    if (this.mode !== 'launcher') return html`<div class="panel" part="panel">${this.renderBody()}</div>`;
    const unread = this.session?.$unreadTotal.get() ?? 0;
    return html`
      <button class="launcher" part="launcher" aria-expanded=${this.open} aria-label=${this.open ? 'Close chat' : 'Open chat'}
        @click=${() => this.toggle()}>${this.open ? '×' : '💬'}
        ${unread && !this.open ? html`<span class="badge" part="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : nothing}</button>
      <div class="panel" part="panel" role="dialog" aria-label="Chat" tabindex="-1" ?hidden=${!this.open}>${this.renderBody()}</div>`;
  }

  private renderBody() {
    const s = this.session;
    if (this.connectionState === 'error' || !s) return this.renderError();
    const st = this.connectionState;
    if (!this.panesReady) return html`<div class="status" role="status">Loading…</div>`;
    const status = st === 'online' ? nothing
      : html`<div class="status" role="status">${s.signedOut ? 'Signed out' : st === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</div>`;
    const conversation = this.current ? html`<cc-chat-view .session=${s} jid=${this.current} .lang=${this.lang}
      ?showBack=${!this.supportMode && !this.splitLayout} @cc-back=${this.onBack}></cc-chat-view>` : nothing;
    const list = html`<cc-chat-list .session=${s} .lang=${this.lang} current=${this.current} ?noNewChat=${this.noNewChat}
      ?onlineUsers=${this.onlineUsers} @cc-select=${this.onSelect} @cc-new-chat=${() => (this.view = 'new')}></cc-chat-list>`;
    const newChat = html`<cc-chat-new .session=${s} @cc-select=${this.onSelect} @cc-back=${this.onBack}></cc-chat-new>`;
    let body;
    if (this.supportMode) body = conversation;
    else if (this.splitLayout) {
      body = html`<div class="split"><div class="list-pane">${this.view === 'new' ? newChat : list}</div>
        <div class="conv-pane">${conversation || html`<p class="empty">Pick a conversation</p>`}</div></div>`;
    } else body = this.view === 'new' ? newChat : this.view === 'conversation' && this.current ? conversation : list;
    const push = this.push ? html`<cc-push-control class="push" .session=${s} .vapidKey=${this.push}
      .pushService=${this.pushService} .serviceWorker=${this.serviceWorker}></cc-push-control>` : nothing;
    return html`${status}${push}${body}`;
  }
}
