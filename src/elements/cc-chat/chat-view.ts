// One open conversation: header, the virtualized message log, typing line and composer.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import type { Conversation } from '../../core/conversation.js';
import type { ChatMessage, Status } from '../../core/protocol/message.js';
import type { Session } from '../../core/session.js';
import { avatar } from '../ui/avatar.js';
import { ago, dayLabel, sameDay, timeOf } from '../ui/format.js';
import { sharedStyles } from './shared-styles.js';

const STATUS_TEXT: Record<Status, string> = {
  pending: 'Sending…', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not sent', received: '',
};
const SHOW_TEXT: Record<string, string> = { chat: 'online', available: 'online', away: 'away', xa: 'away', dnd: 'busy', offline: 'offline' };

/** Shortest time between two renders caused by new messages. */
const RENDER_EVERY = 50;

type Row = { key: string; day: number } | { key: string; m: ChatMessage; showNick: boolean };

/** Adds a date separator before the first message of each day. */
export function toRows(msgs: readonly ChatMessage[]): Row[] {
  const rows: Row[] = [];
  let prev: ChatMessage | undefined;
  for (const m of msgs) {
    if (!prev || !sameDay(prev.timestamp, m.timestamp)) rows.push({ key: `day-${new Date(m.timestamp).toDateString()}`, day: m.timestamp });
    rows.push({ key: m.key, m, showNick: !!m.nick && m.direction === 'in' && (prev?.from !== m.from || !!prev?.system) });
    prev = m;
  }
  return rows;
}

export class ChatView extends LitElement {
  static override styles = [sharedStyles, css`
    :host { display: flex; flex-direction: column; height: 100%; min-height: 0; background: var(--cc-bg); }
    header { display: flex; align-items: center; gap: var(--cc-space); padding: var(--cc-space) calc(var(--cc-space) * 1.5); border-bottom: 1px solid var(--cc-border); min-height: 56px; }
    header .who { flex: 1; min-width: 0; display: flex; flex-direction: column; }
    header .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    header .sub { display: flex; gap: 6px; align-items: center; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
    .log { flex: 1; min-height: 0; overflow-y: auto; padding: 0; }
    .row { display: flex; flex-direction: column; padding: 2px calc(var(--cc-space) * 1.5); width: 100%; }
    .day { align-self: center; margin: var(--cc-space) 0; font-size: 12px; color: var(--cc-muted); background: var(--cc-bubble-in); border-radius: 999px; padding: 2px 10px; }
    .system { align-self: center; font-size: 12px; color: var(--cc-muted); font-style: italic; text-align: center; }
    .nick { font-size: 12px; font-weight: 600; color: var(--cc-muted); margin: 4px 0 2px 4px; }
    .msg { max-width: 80%; padding: 6px 10px; border-radius: var(--cc-radius); background: var(--cc-bubble-in); align-self: flex-start; overflow-wrap: anywhere; }
    .msg.out { align-self: flex-end; background: var(--cc-bubble-out); color: var(--cc-bubble-out-fg); }
    .msg.failed { outline: 2px solid var(--cc-error); }
    .msg .retry { margin-top: 4px; padding: 2px 10px; font-size: 12px; }
    .msg .body { white-space: pre-wrap; }
    .meta { display: block; font-size: 11px; opacity: 0.85; text-align: end; }
    .typing { min-height: 20px; padding: 0 calc(var(--cc-space) * 1.5); font-size: 12px; color: var(--cc-muted); font-style: italic; }
    form { display: flex; gap: var(--cc-space); padding: var(--cc-space); border-top: 1px solid var(--cc-border); align-items: flex-end; }
    textarea { flex: 1; resize: none; min-height: 38px; max-height: 140px; }
    .occupants { border-bottom: 1px solid var(--cc-border); padding: var(--cc-space) calc(var(--cc-space) * 1.5); max-height: 40%; overflow: auto; }
    .occupants ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
    .occupants li { display: flex; gap: 8px; align-items: center; }
    .roomtools { display: flex; gap: 6px; flex-wrap: wrap; padding: 6px calc(var(--cc-space) * 1.5); border-bottom: 1px solid var(--cc-border); }
    .empty { margin: auto; color: var(--cc-muted); text-align: center; padding: 24px; }
  `];

  @property({ attribute: false }) session?: Session;
  @property() jid = '';
  @property({ type: Boolean }) showBack = false;
  @property({ attribute: false }) override lang = '';
  @state() private showOccupants = false;
  @state() private pin: { index: number; block: 'start' | 'end' } | null = null;
  @query('textarea') private composer?: HTMLTextAreaElement;
  @query('.log') private log?: HTMLElement;
  private conv?: Conversation;
  private unsubs: (() => void)[] = [];
  private rows: Row[] = [];
  private rowsOf?: readonly ChatMessage[];
  private atBottom = true;
  private lastScrollTop = 0;
  private firstVisible = 0;

  focusComposer() {
    this.composer?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('session') || changed.has('jid')) && this.session && this.jid) this.bind();
    const msgs = this.conv?.$messages.get();
    if (msgs && msgs !== this.rowsOf) {
      const grew = this.rows.length;
      this.rowsOf = msgs;
      // Anchor on a message, not a date separator: the separator of the day keeps its key and index
      // when older messages of the same day arrive above.
      const firstKey = this.rows.slice(this.firstVisible).find((r) => 'm' in r)?.key;
      this.rows = toRows(msgs);
      if (this.atBottom) this.pin = { index: this.rows.length - 1, block: 'end' };
      else if (firstKey && this.rows.length > grew) {
        // Older messages were inserted above: keep what the user was reading in place.
        const i = this.rows.findIndex((r) => r.key === firstKey);
        if (i >= 0) this.pin = { index: i, block: 'start' };
      }
    }
  }

  protected override updated() {
    // A pin that kept the reading position across a prepend has done its job once laid out; left
    // in place it would hold the view there while the user scrolls on.
    if (this.pin?.block === 'start') {
      const pin = this.pin;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        if (this.pin === pin) this.pin = null;
      }));
    }
  }

  private bind() {
    this.unsubs.forEach((u) => u());
    const s = this.session!;
    const conv = s.conversation(this.jid);
    this.conv = conv;
    this.rowsOf = undefined;
    this.rows = [];
    this.atBottom = true;
    this.lastScrollTop = 0;
    const rerender = () => this.requestUpdate();
    this.unsubs = [
      conv.$messages.listen(this.messagesChanged), conv.$loading.listen(rerender), conv.$typing.listen(rerender),
      s.$presence.listen(rerender), s.rooms.$rooms.listen(rerender), s.contacts.$roster.listen(rerender),
    ];
    if (s.connection.online && conv.$messages.get().length < 2) void conv.loadLatest();
    const p = s.$presence.get()[conv.jid];
    if (conv.kind === 'chat' && (!p || p.show === 'offline') && s.connection.online) void s.contacts.fetchLastSeen(conv.jid);
  }

  private renderTimer?: ReturnType<typeof setTimeout>;
  private renderedAt = 0;

  /**
   * Messages arrive one socket event at a time, and each render lays the virtual list out again: in
   * a burst, render at most once per RENDER_EVERY ms (the first change at once, the rest together).
   */
  private messagesChanged = () => {
    if (this.renderTimer !== undefined) return;
    const wait = this.renderedAt + RENDER_EVERY - performance.now();
    if (wait <= 0) {
      this.renderedAt = performance.now();
      this.requestUpdate();
      return;
    }
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      this.renderedAt = performance.now();
      this.requestUpdate();
    }, wait);
  };

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubs.forEach((u) => u());
    this.unsubs = [];
    this.session = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.session && this.jid && this.unsubs.length === 0) this.bind();
  }

  private onScroll = () => {
    const log = this.log;
    if (!log) return;
    const up = log.scrollTop < this.lastScrollTop - 1;
    this.lastScrollTop = log.scrollTop;
    // Only the reader leaves the bottom, by scrolling up. The list scrolls itself too while it lays
    // out new rows, short of the bottom at times; taking that for the reader's choice made the view
    // stop following a fast stream of messages.
    const bottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40 || (this.atBottom && !up);
    if (bottom !== this.atBottom) {
      this.atBottom = bottom;
      if (bottom) this.pin = { index: this.rows.length - 1, block: 'end' };
    }
    if (log.scrollTop < 80) void this.loadOlder();
  };

  private async loadOlder() {
    const conv = this.conv;
    if (!conv || conv.$loading.get() || conv.$complete.get()) return;
    await conv.loadOlder();
    await this.updateComplete;
    // Still at the top (a short page, or the user kept scrolling): no scroll event will come, so go on.
    if (this.conv === conv && (this.log?.scrollTop ?? 1e9) < 80) requestAnimationFrame(() => void this.loadOlder());
  }

  private onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    }
  };

  private send(e?: Event) {
    e?.preventDefault();
    const ta = this.composer;
    const text = ta?.value.trim();
    if (!ta || !text || !this.session || !this.conv) return;
    this.session.sendMessage(this.conv.jid, text);
    ta.value = '';
    this.atBottom = true;
    this.pin = { index: this.rows.length, block: 'end' };
  }

  private async roomAction(kind: 'subject' | 'invite' | 'leave') {
    const s = this.session;
    const conv = this.conv;
    if (!s || !conv) return;
    if (kind === 'leave') {
      await s.rooms.leave(conv.jid);
      this.dispatchEvent(new CustomEvent('cc-back', { bubbles: true, composed: true }));
      return;
    }
    const value = prompt(kind === 'subject' ? 'New subject' : 'Invite (address, e.g. name@example.com)')?.trim();
    if (!value) return;
    if (kind === 'subject') await s.rooms.setSubject(conv.jid, value);
    else await s.rooms.invite(conv.jid, value);
  }

  override render() {
    const s = this.session;
    const conv = this.conv;
    if (!s || !conv) return html`<p class="empty">No conversation open</p>`;
    const room = conv.kind === 'room' ? s.rooms.$rooms.get()[conv.jid] : undefined;
    const name = room?.name ?? s.contacts.name(conv.jid);
    const typing = conv.$typing.get();
    return html`
      <header part="header">
        ${this.showBack ? html`<button class="icon" aria-label="Back" @click=${() => this.dispatchEvent(new CustomEvent('cc-back', { bubbles: true, composed: true }))}>←</button>` : nothing}
        ${avatar(name, conv.jid)}
        <div class="who">
          <span class="name">${name}</span>
          <span class="sub muted">${room ? this.renderRoomLine(room.subject, Object.keys(room.occupants).length, room.joined) : this.renderPresence(conv.jid)}</span>
        </div>
        <slot name="actions"></slot>
        ${room ? html`<button class="icon" aria-label="Occupants" aria-expanded=${this.showOccupants} @click=${() => (this.showOccupants = !this.showOccupants)}>👥</button>` : nothing}
      </header>
      ${room && this.showOccupants ? this.renderRoomPanel(room) : nothing}
      <div class="log" part="log" role="log" aria-label="Messages" tabindex="0" @scroll=${this.onScroll}
        @unpinned=${() => { this.pin = null; }}
        @visibilityChanged=${(e: Event & { first?: number }) => { this.firstVisible = e.first ?? 0; }}>
        ${conv.$loading.get() && this.rows.length === 0 ? html`<p class="empty" role="status">Loading…</p>` : nothing}
        ${virtualize({
          items: this.rows,
          keyFunction: (r: Row) => r.key,
          renderItem: (r: Row) => this.renderRow(r),
          scroller: true,
          layout: this.pin ? { pin: this.pin } : {},
        })}
      </div>
      <div class="typing" aria-live="polite">${typing.length ? `${typing.join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing…` : ''}</div>
      <form part="composer" @submit=${this.send}>
        <textarea aria-label="Message" rows="1" placeholder="Write a message…" @keydown=${this.onKeyDown}
          @input=${() => this.session?.typing(conv.jid)}></textarea>
        <button class="btn primary" type="submit">Send</button>
      </form>`;
  }

  private renderPresence(jid: string) {
    const p = this.session?.$presence.get()[jid];
    const show = p?.show ?? 'offline';
    const text = show === 'offline' && p?.lastSeen ? `last seen ${ago(p.lastSeen, this.lang)}` : SHOW_TEXT[show];
    return html`<span class="dot" data-show=${show} aria-hidden="true"></span><span class="presence">${text}${p?.status ? ` — ${p.status}` : ''}</span>`;
  }

  private renderRoomLine(subject: string | undefined, count: number, joined: boolean) {
    return html`<span class="subject">${subject || (joined ? `${count} in the room` : 'Joining…')}</span>`;
  }

  private renderRoomPanel(room: NonNullable<ReturnType<Session['rooms']['$rooms']['get']>[string]>) {
    const list = Object.values(room.occupants).sort((a, b) => a.nick.localeCompare(b.nick));
    return html`<div class="roomtools">
        <button class="btn" @click=${() => this.roomAction('subject')}>Change subject</button>
        <button class="btn" @click=${() => this.roomAction('invite')}>Invite</button>
        <button class="btn" @click=${() => this.roomAction('leave')}>Leave room</button>
      </div>
      <section class="occupants" aria-label="Occupants list">
        <ul>${list.map((o) => html`<li>${avatar(o.nick, `${room.jid}/${o.nick}`, 24)}<span>${o.nick}</span>
          <span class="muted">${o.role}${o.affiliation !== 'none' ? ` · ${o.affiliation}` : ''}</span></li>`)}</ul>
      </section>`;
  }

  private renderRow(r: Row) {
    if ('day' in r) return html`<div class="row"><span class="day" role="separator">${dayLabel(r.day, this.lang)}</span></div>`;
    const m = r.m;
    if (m.system) return html`<div class="row"><span class="system">${m.body}</span></div>`;
    const status = m.direction === 'out' ? (m.status === 'failed' && m.error) || STATUS_TEXT[m.status] : '';
    return html`<div class="row">
      ${r.showNick ? html`<span class="nick">${m.nick}</span>` : nothing}
      <div class="msg ${m.direction} ${m.status}" part="message" data-status=${m.status}>
        <span class="body">${m.body}</span>
        <span class="meta"><time datetime=${new Date(m.timestamp).toISOString()}>${timeOf(m.timestamp, this.lang)}</time>${status ? html` · <span class="state">${m.status === 'pending' ? html`<span aria-hidden="true">🕓 </span>` : nothing}${status}</span>` : nothing}</span>
        ${m.status === 'failed' && m.direction === 'out'
          ? html`<button class="btn retry" aria-label="Retry" @click=${() => this.session?.retry(m.conversation, m.key)}>Retry</button>` : nothing}
      </div>
    </div>`;
  }
}
