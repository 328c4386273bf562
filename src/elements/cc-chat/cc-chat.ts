import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage, Status } from '../../core/protocol/message.js';
import type { PresenceInfo } from '../../core/protocol/presence.js';
import type { Conversation, Session } from '../../core/session.js';
import { CcElement } from '../base.js';
import { chatStyles } from './styles.js';

const STATUS_TEXT: Record<Status, string> = {
  pending: 'Sending…', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not sent', received: '',
};
const SHOW_TEXT: Record<PresenceInfo['show'], string> = {
  chat: 'online', available: 'online', away: 'away', xa: 'away', dnd: 'busy', offline: 'offline',
};

/**
 * Real-time chat over XMPP.
 *
 * @tag cc-chat
 * @fires cc-ready - The session is online and the element has rendered. detail: `{ jid }`
 * @fires cc-connection-change - detail: `{ state: 'connecting' | 'online' | 'offline' | 'error' }`
 * @fires cc-open-change - The launcher panel opened or closed. detail: `{ open }`
 * @fires cc-message - An incoming message. detail: `{ from, conversation, text }`
 * @fires cc-error - Configuration, login or connection problem. detail: `{ code, message, attribute? }`
 * @csspart launcher - The floating button in launcher mode.
 * @csspart panel - The chat panel.
 * @csspart header - The conversation header.
 * @csspart log - The message list.
 * @csspart message - One message bubble.
 * @csspart composer - The message form.
 * @csspart error - The error box.
 */
export class CcChat extends CcElement {
  static override styles = chatStyles;

  /** `launcher` (floating button + panel), `embedded` (fills its parent) or `split`. */
  @property({ reflect: true }) mode: 'launcher' | 'embedded' | 'split' = 'launcher';
  /** Open a 1:1 conversation with this JID. */
  @property() with?: string;
  /** Whether the launcher panel is open (reflected). */
  @property({ type: Boolean, reflect: true }) open = false;
  /** Side of the page for the launcher: `right` or `left`. */
  @property({ reflect: true }) position: 'right' | 'left' = 'right';

  @state() private conv?: Conversation;
  @query('.log') private log?: HTMLElement;
  @query('textarea') private composer?: HTMLTextAreaElement;
  private stickToBottom = true;
  private convUnwatch?: () => void;
  private offIncoming?: () => void;

  show() { this.setOpen(true); }
  hide() { this.setOpen(false); }
  toggle() { this.setOpen(!this.open); }

  /** Opens the 1:1 conversation with `jid`. */
  openConversation(jid: string) {
    if (!this.session) return;
    this.convUnwatch?.();
    const conv = this.session.conversation(jid);
    this.conv = conv;
    this.stickToBottom = true;
    const offs = [conv.$messages, conv.$loading, conv.$complete].map((s) => s.listen(() => this.requestUpdate()));
    this.convUnwatch = () => offs.forEach((o) => o());
    if (this.session.connection.online && conv.$messages.get().length === 0) void conv.loadLatest();
  }

  protected override sessionAttached(s: Session) {
    this.watch(s.$presence);
    this.offIncoming?.();
    this.offIncoming = s.onIncoming((e) => this.emit('cc-message', e));
    if (this.with) this.openConversation(this.with);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.convUnwatch?.();
    this.offIncoming?.();
    this.conv = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    if (changed.has('with') && this.with && this.session && this.hasUpdated) this.openConversation(this.with);
  }

  protected override updated() {
    const log = this.log;
    if (log && this.stickToBottom) log.scrollTop = log.scrollHeight;
  }

  private setOpen(open: boolean) {
    if (this.open === open) return;
    this.open = open;
    this.emit('cc-open-change', { open });
    if (open) this.updateComplete.then(() => this.composer?.focus());
    else this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus());
  }

  private onScroll = async () => {
    const log = this.log;
    if (!log || !this.conv) return;
    this.stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    if (log.scrollTop < 60 && !this.conv.$loading.get() && !this.conv.$complete.get()) {
      const before = log.scrollHeight;
      await this.conv.loadOlder();
      await this.updateComplete;
      // Keep the message the user was looking at in place while older ones are inserted above.
      log.scrollTop += log.scrollHeight - before;
    }
  };

  private onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    } else if (e.key === 'Escape' && this.mode === 'launcher') {
      this.hide();
    }
  };

  private send(e?: Event) {
    e?.preventDefault();
    const ta = this.composer;
    const text = ta?.value.trim();
    if (!ta || !text || !this.session || !this.conv) return;
    this.session.sendMessage(this.conv.jid, text);
    ta.value = '';
    this.stickToBottom = true;
  }

  override render() {
    if (this.mode === 'launcher') {
      return html`
        <button class="launcher" part="launcher" aria-expanded=${this.open} @click=${() => this.toggle()}
          aria-label=${this.open ? 'Close chat' : 'Open chat'}>${this.open ? '×' : '💬'}</button>
        <div class="panel" part="panel" ?hidden=${!this.open} @keydown=${this.onPanelKey}>${this.renderBody()}</div>`;
    }
    return html`<div class="panel" part="panel">${this.renderBody()}</div>`;
  }

  private onPanelKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') this.hide();
  };

  private renderBody() {
    const err = this.renderError();
    if (this.connectionState === 'error') return err;
    return html`${this.renderStatus()}${this.conv ? this.renderConversation(this.conv) : html`<p class="empty">No conversation open</p>`}`;
  }

  private renderStatus() {
    const st = this.connectionState;
    if (st === 'online') return nothing;
    return html`<div class="status" role="status">${st === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</div>`;
  }

  private renderConversation(conv: Conversation) {
    const p = this.session?.$presence.get()[conv.jid];
    const show = p?.show ?? 'offline';
    const msgs = conv.$messages.get();
    return html`
      <header part="header">
        <span class="dot" data-show=${show} aria-hidden="true"></span>
        <span class="name">${conv.jid}</span>
        <span class="presence">${SHOW_TEXT[show]}${p?.status ? ` — ${p.status}` : ''}</span>
      </header>
      <div class="log" part="log" role="log" aria-label="Messages" tabindex="0" @scroll=${this.onScroll}>
        ${conv.$loading.get() ? html`<p class="empty" role="status">Loading…</p>` : nothing}
        ${repeat(msgs, (m) => m.key, (m) => this.renderMessage(m))}
      </div>
      <form part="composer" @submit=${this.send}>
        <textarea aria-label="Message" rows="1" placeholder="Write a message…" @keydown=${this.onKeyDown}></textarea>
        <button class="send" type="submit">Send</button>
      </form>`;
  }

  private renderMessage(m: ChatMessage) {
    const time = new Intl.DateTimeFormat(this.lang || undefined, { hour: '2-digit', minute: '2-digit' }).format(m.timestamp);
    const status = m.direction === 'out' ? STATUS_TEXT[m.status] : '';
    return html`<div class="msg ${m.direction} ${m.status}" part="message" data-status=${m.status}>
      <span class="body">${m.body}</span>
      <span class="meta"><time datetime=${new Date(m.timestamp).toISOString()}>${time}</time>${status ? html` · <span class="state">${status}</span>` : nothing}</span>
    </div>`;
  }
}
