import { html, nothing, type PropertyValues } from 'lit';
import type { Session } from '../../core/session.js';
import { CcElement } from '../base.js';
import { t } from '../i18n.js';
import type { StartCallDetail } from './chat-actions.js';
import type { ChatView } from './chat-view.js';
import { ChatExtras, type AccountProps } from './extras.js';
import { chatStyles } from './styles.js';

let panes: Promise<typeof import('./panes.js')> | undefined;
const loadPanes = () => (panes ??= import('./panes.js'));

const WIDE = 640;

/**
 * Real-time chat over XMPP: a conversation list, 1:1 chats and group rooms.
 *
 * @tag cc-chat
 * @fires {CustomEvent<CcReadyDetail>} cc-ready - The session is online and the element has rendered. detail: `{ jid }`
 * @fires {CustomEvent<CcConnectionChangeDetail>} cc-connection-change - detail: `{ state: 'connecting' | 'online' | 'offline' | 'error' }`
 * @fires {CustomEvent<CcOpenChangeDetail>} cc-open-change - The launcher panel opened or closed. detail: `{ open }`
 * @fires {CustomEvent<CcUnreadChangeDetail>} cc-unread-change - The total of unread messages changed. detail: `{ total }`
 * @fires {CustomEvent<CcMessageDetail>} cc-message - An incoming message. detail: `{ from, conversation, text }`
 * @fires {CustomEvent<CcErrorDetail>} cc-error - Configuration, login or connection problem. detail: `{ code, message, attribute? }`
 * @fires {CustomEvent<CcPushCallDetail>} cc-push-call - A call notification was clicked; with `calls` its Accept/Decline also answers or declines the call here. detail: `{ conversation, kind, action }`
 * @attr attachments - Which files may be sent: an `accept` list like a file input's (`image/*,.pdf`), or `none` for no attachments; by default any file.
 * @attr notifications - Browser notifications for new messages while the page is hidden.
 * @attr sound - `on` (default) or `off`: a chime for new messages.
 * @attr muted - No sound and no notifications.
 * @fires {CustomEvent<CcCallIncomingDetail>} cc-call-incoming - With `calls`: a call rings here (the panel opens). detail: `{ from, video }`
 * @fires {CustomEvent<CcCallStateDetail>} cc-call-state - With `calls`: detail: `{ state: 'ringing' | 'connecting' | 'active' | 'ended' }`
 * @fires {CustomEvent<CcCallEndedDetail>} cc-call-ended - With `calls`: detail: `{ reason, duration }` (seconds connected)
 * @csspart launcher - The floating button in launcher mode.
 * @csspart badge - The unread badge on the launcher.
 * @csspart panel - The chat panel.
 * @csspart error - The error box.
 * @csspart conversation-list - The list of conversations.
 * @csspart header - The header of the open conversation.
 * @csspart occupants - A room's occupants list (when shown).
 * @csspart log - The scrolling list of messages.
 * @csspart message - Each message bubble (colours of your own: `--cc-bubble-out`, `--cc-bubble-out-fg`).
 * @csspart composer - The message form (text box and buttons).
 * @csspart composer-banner - The line above the composer while replying or editing.
 * @csspart avatar - Pictures and initials of contacts and rooms.
 * @csspart profile - A contact's or occupant's card.
 * @cssprop --cc-accent - Accent colour (buttons, own messages).
 * @cssprop --cc-accent-contrast - Text on the accent colour.
 * @cssprop --cc-bg - Background colour.
 * @cssprop --cc-fg - Text colour.
 * @cssprop --cc-muted - Secondary text (times, previews).
 * @cssprop --cc-border - Border colour.
 * @cssprop --cc-error - Colour of error text.
 * @cssprop --cc-bubble-in - Background of incoming messages.
 * @cssprop --cc-bubble-out - Background of your own messages.
 * @cssprop --cc-bubble-out-fg - Text of your own messages.
 * @cssprop --cc-space - Base spacing unit.
 * @cssprop --cc-panel-width - Width of the launcher panel.
 * @cssprop --cc-panel-height - Height of the launcher panel.
 * @cssprop --cc-radius - Corner radius.
 * @cssprop --cc-font - Font family.
 * @cssprop --cc-font-size - Base font size (default 14px); the page's own font settings do not reach the widget.
 * @cssprop --cc-z-index - Stacking level of the launcher and panel.
 */
export class CcChat extends CcElement {
  static override styles = chatStyles;

  static override properties = {
    mode: { reflect: true },
    with: {},
    room: {},
    open: { type: Boolean, reflect: true },
    position: { reflect: true },
    noNewChat: { type: Boolean, attribute: 'no-new-chat' },
    onlineUsers: { type: Boolean, attribute: 'online-users' },
    push: {},
    pushService: { attribute: 'push-service' },
    serviceWorker: { attribute: 'service-worker' },
    pushPrivacy: { type: Boolean, attribute: 'push-privacy' },
    notifications: { type: Boolean },
    sound: {},
    muted: { type: Boolean },
    calls: { type: Boolean },
    whiteboard: { type: Boolean },
    attachments: {},
    current: { attribute: false },
    view: { attribute: false },
    wide: { attribute: false },
    panesReady: { attribute: false },
    profile: { attribute: false },
    announcement: { attribute: false },
  };
  /** `launcher` (floating button + panel), `embedded` (fills its parent) or `split` (list and conversation side by side when wide). */
  mode: 'launcher' | 'embedded' | 'split' = 'launcher';
  /** Open a 1:1 conversation with this JID; with `mode="launcher"` a single support conversation without a list. */
  with?: string;
  /** Join and open this group room. */
  room?: string;
  /** Whether the launcher panel is open (reflected). */
  open = false;
  /** Side of the page for the launcher: `right` or `left`. */
  position: 'right' | 'left' = 'right';
  /** Hide the `New chat` button. */
  noNewChat = false;
  /** Show a tab with the contacts currently online. */
  onlineUsers = false;
  /** VAPID public key of the push bridge; enables web push (an `Enable notifications` button). */
  push?: string;
  /** JID of the push bridge (the XEP-0357 app server), e.g. `push.example.com`. */
  pushService?: string;
  /** Path of the service worker, same origin as the page. */
  serviceWorker = '/cc-sw.js';
  /** With `push`: notifications name the sender but never show message text (the push bridge leaves it out). */
  pushPrivacy = false;
  /** Browser notifications for new messages while the page is hidden (asks permission on a click). */
  notifications = false;
  /** A chime for new messages: on by default; `sound="off"` turns it off. */
  sound = 'on';
  /** No sound and no notifications at all (each conversation can also be muted on its own). */
  muted = false;
  /** `Audio call` / `Video call` in conversation headers (a group call in rooms), and incoming calls ring here. */
  calls = false;
  /** A `Whiteboard` button in room headers: the room's shared board in a panel. */
  whiteboard = false;
  /** Which files may be sent (`Attach file`, drop, paste): an `accept` list like a file input's (`image/*,.pdf`), or `none` (no button, drops and pastes ignored). Default: any file. */
  attachments = '*/*';

  private current = '';
  private view: 'list' | 'conversation' | 'new' = 'list';
  private wide = false;
  private panesReady = false;
  /** The contact whose card is open, if any. */
  private profile = '';
  /** What the live region last said (new messages, for screen readers). */
  private announcement = '';
  private offIncoming?: () => void;
  private offAlerts?: () => void;
  private offPush?: () => void;
  private resize?: ResizeObserver;
  private lastUnread = 0;
  private readonly extras = new ChatExtras(this);

  /** Opens the launcher panel (fires `cc-open-change`). */
  show() { this.setOpen(true); }
  /** Closes the launcher panel. */
  hide() { this.setOpen(false); }
  /** Opens the launcher panel when closed, closes it when open. */
  toggle() { this.setOpen(!this.open); }

  /** Opens the conversation with `jid` (a contact or a joined room). */
  openConversation(jid: string) {
    this.current = jid.toLowerCase();
    this.view = 'conversation';
    this.updateActive();
    this.updateComplete.then(() => this.viewEl()?.updateComplete).then(() => this.viewEl()?.focusComposer());
  }

  /** @internal What the embedded cc-call and cc-whiteboard need to share this element's session. */
  account(): AccountProps {
    return {
      service: this.service, domain: this.domain, jid: this.jid, password: this.password, credentialsUrl: this.credentialsUrl,
      anonymous: this.anonymous, nick: this.nick, theme: this.theme,
    };
  }

  private get supportMode() {
    return this.mode === 'launcher' && !!this.with;
  }

  protected override sessionAttached(s: Session) {
    this.offIncoming?.();
    this.offIncoming = s.onIncoming((e) => this.emit('cc-message', e));
    this.watch(s.mutes.$muted);
    this.offAlerts?.();
    // Alerts ship with the panes (both always load): one chunk fewer.
    void loadPanes().then(({ Alerts, Announcer }) => {
      if (this.session !== s) return;
      const alerts = new Alerts({
        session: s, lang: () => this.language, soundOn: () => this.soundOn, notificationsOn: () => this.notificationsOn,
        isShowing: (c) => this.isShowing(c), reveal: (c) => this.reveal(c),
      });
      const announcer = new Announcer(s, () => this.language, (text) => { this.announcement = text; });
      const offs = [s.onIncoming(alerts.onIncoming), s.onIncoming(announcer.onIncoming)];
      this.offAlerts = () => { offs.forEach((off) => off()); announcer.stop(); };
    });
    this.watch(s.$unreadTotal, (total) => {
      if (total !== this.lastUnread) this.emit('cc-unread-change', { total });
      this.lastUnread = total;
    });
    if (this.with) this.openConversation(this.with);
    if (this.room) this.joinRoom(this.room);
    // Ringing needs the call engine: it loads once the chat is up, never before its first paint.
    this.watch(s.connection.$state, (st) => { if (st === 'online' && this.calls) void this.extras.loadCalls(); });
    if (s.connection.online && this.calls) void this.extras.loadCalls();
    this.offPush?.();
    // Push code loads only on pages that enable it, keeping first paint small.
    if (this.push) {
      void import('./push-control.js').then((m) => {
        if (this.session === s) this.offPush = m.followPushIntents(this);
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
    this.offAlerts?.();
    this.offAlerts = undefined;
    this.offPush?.();
    this.session?.setActive(null);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    if (!this.hasUpdated || !this.session) return;
    if (changed.has('with') && this.with) this.openConversation(this.with);
    if (changed.has('room') && this.room) this.joinRoom(this.room);
    if (changed.has('calls') && this.calls && this.session.connection.online) void this.extras.loadCalls();
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

  /** @internal For the alerts module. */
  get soundOn() {
    return !this.muted && this.sound !== 'off' && this.sound !== 'false';
  }

  /** @internal For the alerts module. */
  get notificationsOn() {
    return this.notifications && !this.muted;
  }

  /** @internal Whether the user sees `conversation` (page visibility aside). */
  isShowing(conversation: string) {
    const shown = this.view === 'conversation' || this.splitLayout || this.supportMode;
    return (this.mode !== 'launcher' || this.open) && shown && this.current === conversation;
  }

  /** @internal Opens `conversation` for the user (a notification was clicked). */
  reveal(conversation: string) {
    this.openConversation(conversation);
    this.show();
  }

  /** @internal The docked cc-call once loaded; null without `calls`. */
  callDock() {
    return this.calls ? this.extras.dock() : Promise.resolve(null);
  }

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

  /** Focus goes back where the card was opened from: a room's occupant, or the conversation. */
  private closeProfile = () => {
    const occupant = this.profile.split('/').slice(1).join('/');
    this.profile = '';
    if (occupant) this.viewEl()?.focusOccupant(occupant);
    else this.viewEl()?.focusComposer();
  };

  private onBack = () => {
    this.view = 'list';
    this.current = this.splitLayout ? this.current : '';
  };

  override render() {
    const l = this.language;
    const live = html`<div class="live" aria-live="polite">${this.announcement}</div>`;
    if (this.mode !== 'launcher') return html`<div class="panel" part="panel">${this.renderBody()}</div>${live}`;
    const unread = this.session?.$unreadTotal.get() ?? 0;
    return html`
      <button class="launcher" part="launcher" aria-expanded=${this.open} aria-label=${this.open ? t(l, 'Close chat') : t(l, 'Open chat')}
        @click=${() => this.toggle()}>${this.open ? '×' : '💬'}
        ${unread && !this.open ? html`<span class="badge" part="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : nothing}</button>
      <div class="panel" part="panel" role="dialog" aria-label=${t(l, 'Chat')} tabindex="-1" ?hidden=${!this.open}>${this.renderBody()}</div>${live}`;
  }

  private renderBody() {
    const s = this.session;
    const l = this.language;
    if (this.connectionState === 'error' || !s) return this.renderError();
    const st = this.connectionState;
    if (!this.panesReady) return html`<div class="status" role="status">${t(l, 'Loading…')}</div>`;
    const status = st === 'online' ? nothing
      : html`<div class="status" role="status">${s.signedOut ? t(l, 'Signed out') : st === 'connecting' ? t(l, 'Connecting…') : t(l, 'Reconnecting…')}</div>`;
    const muted = this.current ? s.mutes.has(this.current) : false;
    const conversation = this.current ? html`<cc-chat-view exportparts="header, occupants, log, message, composer, composer-banner, avatar" .session=${s} jid=${this.current} .lang=${l} .attachments=${this.attachments.trim() || '*/*'}
      ?showBack=${!this.supportMode && !this.splitLayout} @cc-back=${this.onBack}
      @cc-profile=${(e: CustomEvent<{ jid: string }>) => { this.profile = e.detail.jid; }}>
        ${this.calls || this.whiteboard ? html`<cc-chat-actions slot="actions" .session=${s} jid=${this.current} .lang=${l}
          ?calls=${this.calls} ?whiteboard=${this.whiteboard} ?busy=${this.extras.callLive}
          @cc-start-call=${(e: CustomEvent<StartCallDetail>) => void this.extras.startCall(e.detail)}
          @cc-open-board=${(e: CustomEvent<{ room: string }>) => void this.extras.openBoard(e.detail.room)}></cc-chat-actions>` : nothing}
        ${s.conversation(this.current).kind === 'chat' ? html`<button slot="actions" class="header-action"
          aria-label=${t(l, 'Contact info')} title=${t(l, 'Contact info')} @click=${() => (this.profile = this.current)}>ⓘ</button>` : nothing}
        <button slot="actions" class="header-action" aria-pressed=${muted}
          aria-label=${muted ? t(l, 'Unmute conversation') : t(l, 'Mute conversation')} title=${muted ? t(l, 'Unmute conversation') : t(l, 'Mute conversation')}
          @click=${() => s.mutes.set(this.current, !muted)}>${muted ? '🔕' : '🔔'}</button>
      </cc-chat-view>` : nothing;
    const list = html`<cc-chat-list exportparts="conversation-list, avatar" .session=${s} .lang=${l} current=${this.current} ?noNewChat=${this.noNewChat}
      ?onlineUsers=${this.onlineUsers} @cc-select=${this.onSelect} @cc-new-chat=${() => (this.view = 'new')}></cc-chat-list>`;
    const newChat = html`<cc-chat-new .session=${s} .lang=${l} @cc-select=${this.onSelect} @cc-back=${this.onBack}></cc-chat-new>`;
    let body;
    if (this.supportMode) body = conversation;
    else if (this.splitLayout) {
      body = html`<div class="split"><div class="list-pane">${this.view === 'new' ? newChat : list}</div>
        <div class="conv-pane">${conversation || html`<p class="empty">${t(l, 'Pick a conversation')}</p>`}</div></div>`;
    } else body = this.view === 'new' ? newChat : this.view === 'conversation' && this.current ? conversation : list;
    const push = this.push ? html`<cc-push-control class="push" .session=${s} .vapidKey=${this.push}
      .pushService=${this.pushService} .serviceWorker=${this.serviceWorker} ?privacy=${this.pushPrivacy} .lang=${l}></cc-push-control>` : nothing;
    const profile = this.profile ? html`<div class="overlay" @click=${(e: Event) => { if (e.target === e.currentTarget) this.profile = ''; }}>
      <cc-profile-card exportparts="profile, avatar" .session=${s} jid=${this.profile} .lang=${l} @cc-close=${this.closeProfile}></cc-profile-card></div>` : nothing;
    return html`${status}${push}${this.renderNotificationAsk()}${this.calls ? this.extras.renderCall() : nothing}${body}${this.extras.renderBoard()}${profile}`;
  }

  /** Permission is asked only when the user clicks, never on load. */
  private renderNotificationAsk() {
    if (!this.notificationsOn || typeof Notification === 'undefined' || Notification.permission !== 'default') return nothing;
    return html`<div class="ask" role="group" aria-label=${t(this.language, 'Notifications')}>
      <span>${t(this.language, 'Get notified of new messages while this page is in the background?')}</span>
      <button class="header-action" @click=${() => void Notification.requestPermission().finally(() => this.requestUpdate())}>${t(this.language, 'Allow notifications')}</button>
    </div>`;
  }
}
