// The conversation list: own status, requests and invitations, filter, and every conversation.
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { Show } from '../../core/protocol/presence.js';
import type { Session } from '../../core/session.js';
import type { ConversationSummary } from '../../core/summaries.js';
import { avatar } from '../ui/avatar.js';
import { t } from '../i18n.js';
import { dayLabel, sameDay, timeOf } from '../ui/format.js';
import { sharedStyles } from './shared-styles.js';

export class ChatList extends LitElement {
  static override styles = [sharedStyles, css`
    :host { display: flex; flex-direction: column; height: 100%; background: var(--cc-bg); }
    .top { display: flex; gap: var(--cc-space); align-items: center; padding: var(--cc-space) calc(var(--cc-space) * 1.5); border-bottom: 1px solid var(--cc-border); flex-wrap: wrap; }
    .top input[type='search'], .top .status-text { flex: 1; min-width: 120px; }
    .tabs { display: flex; gap: 4px; padding: 4px calc(var(--cc-space) * 1.5) 0; }
    .tabs button { border: 0; background: transparent; padding: 6px 10px; border-bottom: 2px solid transparent; }
    .tabs button[aria-selected='true'] { border-bottom-color: var(--cc-accent); font-weight: 600; }
    .notice { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; padding: 6px calc(var(--cc-space) * 1.5); background: var(--cc-bubble-in); font-size: 13px; }
    .notice span { flex: 1; min-width: 120px; }
    ul { list-style: none; margin: 0; padding: 4px 0; overflow-y: auto; flex: 1; min-height: 0; }
    li { display: flex; gap: 10px; align-items: center; padding: 8px calc(var(--cc-space) * 1.5); cursor: pointer; width: 100%; box-sizing: border-box; }
    li:hover, li.current { background: var(--cc-bubble-in); }
    li:focus-visible { outline-offset: -2px; }
    .pic { position: relative; display: inline-flex; }
    .pic .dot { position: absolute; inset-inline-end: -2px; bottom: -2px; }
    .text { flex: 1; min-width: 0; display: flex; flex-direction: column; }
    .line { display: flex; gap: 6px; align-items: baseline; }
    .title { flex: 1; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .preview { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: 1; }
    .empty { color: var(--cc-muted); padding: 24px; text-align: center; }
  `];

  static override properties = {
    session: { attribute: false },
    noNewChat: { type: Boolean },
    onlineUsers: { type: Boolean },
    current: {},
    lang: { attribute: false },
    filter: { state: true },
    tab: { state: true },
  };
  session?: Session;
  noNewChat = false;
  onlineUsers = false;
  current = '';
  override lang = '';
  private filter = '';
  private tab: 'chats' | 'online' = 'chats';
  private unsubs: (() => void)[] = [];

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('session')) {
      this.unsubs.forEach((u) => u());
      const s = this.session;
      const r = () => this.requestUpdate();
      this.unsubs = s ? [s.$conversations.listen(r), s.$presence.listen(r), s.contacts.$requests.listen(r), s.rooms.$invites.listen(r), s.$ownPresence.listen(r), s.avatars.$urls.listen(r)] : [];
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubs.forEach((u) => u());
    this.unsubs = [];
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.session) this.requestUpdate('session');
  }

  private select(c: { jid: string; kind: string }) {
    this.dispatchEvent(new CustomEvent('cc-select', { detail: { jid: c.jid, kind: c.kind }, bubbles: true, composed: true }));
  }

  private get listEl() { return this.renderRoot?.querySelector<VirtualizerHostElement>('ul') ?? undefined; }
  /** How many items the list shows now (after filtering), for keyboard moves. */
  private count = 0;

  private onItemKey(e: KeyboardEvent, c: ConversationSummary, index: number) {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.select(c);
    } else if (['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) {
      e.preventDefault();
      const to = e.key === 'Home' ? 0 : e.key === 'End' ? this.count - 1 : index + (e.key === 'ArrowDown' ? 1 : -1);
      if (to >= 0 && to < this.count) void this.focusItem(to);
    }
  }

  /** The list is virtual: the item may have to be scrolled into existence before it can take focus. */
  private async focusItem(index: number) {
    const ul = this.listEl;
    const find = () => ul?.querySelector<HTMLElement>(`li[data-index="${index}"]`);
    if (!find()) {
      ul?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' });
      for (let i = 0; i < 10 && !find(); i++) await new Promise((r) => requestAnimationFrame(r));
    }
    const li = find();
    li?.scrollIntoView({ block: 'nearest' });
    li?.focus();
  }

  override render() {
    const s = this.session;
    if (!s) return nothing;
    const own = s.$ownPresence.get();
    const l = this.lang;
    const q = this.filter.trim().toLowerCase();
    const presence = s.$presence.get();
    let list = s.$conversations.get();
    if (this.tab === 'online') list = list.filter((c) => c.kind === 'chat' && presence[c.jid] && presence[c.jid]!.show !== 'offline');
    if (q) list = list.filter((c) => c.name.toLowerCase().includes(q) || c.jid.includes(q));
    this.count = list.length;
    return html`
      <div class="top">
        <select aria-label=${t(l, 'Status')} .value=${own.show} @change=${(e: Event) => void s.setPresence((e.target as HTMLSelectElement).value as Show, own.status)}>
          <option value="available">${t(l, 'Available')}</option><option value="away">${t(l, 'Away')}</option><option value="dnd">${t(l, 'Busy')}</option>
        </select>
        <input class="status-text" type="text" aria-label=${t(l, 'Status text')} placeholder=${t(l, 'Status text')} maxlength="200" .value=${own.status ?? ''}
          @change=${(e: Event) => void s.setPresence(s.$ownPresence.get().show, (e.target as HTMLInputElement).value.trim() || undefined)}>
        <input type="search" aria-label=${t(l, 'Filter conversations')} placeholder=${t(l, 'Search')} .value=${this.filter}
          @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}>
        ${this.noNewChat ? nothing : html`<button class="btn primary" @click=${() => this.dispatchEvent(new CustomEvent('cc-new-chat', { bubbles: true, composed: true }))}>${t(l, 'New chat')}</button>`}
      </div>
      ${this.onlineUsers ? html`<div class="tabs" role="tablist">
        <button role="tab" aria-selected=${this.tab === 'chats'} @click=${() => (this.tab = 'chats')}>${t(l, 'Chats')}</button>
        <button role="tab" aria-selected=${this.tab === 'online'} @click=${() => (this.tab = 'online')}>${t(l, 'Online')}</button></div>` : nothing}
      ${s.contacts.$requests.get().map((r) => html`<div class="notice" role="group" aria-label=${t(l, 'Contact request from {who}', { who: r.nick ?? r.jid })}>
        <span>${t(l, '{who} wants to add you as a contact', { who: r.nick ?? r.jid })}</span>
        <button class="btn primary" @click=${() => s.contacts.accept(r.jid)}>${t(l, 'Accept')}</button>
        <button class="btn" @click=${() => s.contacts.decline(r.jid)}>${t(l, 'Decline')}</button></div>`)}
      ${s.rooms.$invites.get().map((i) => html`<div class="notice" role="group" aria-label=${t(l, 'Invitation to {room}', { room: i.room })}>
        <span>${t(l, '{who} invites you to {room}', { who: i.from, room: i.room })}</span>
        <button class="btn primary" @click=${async () => { await s.rooms.acceptInvite(i.room); this.select({ jid: i.room, kind: 'room' }); }}>${t(l, 'Join')}</button>
        <button class="btn" @click=${() => s.rooms.declineInvite(i.room)}>${t(l, 'Decline')}</button></div>`)}
      ${list.length === 0 ? html`<p class="empty">${q ? t(l, 'No matches') : t(l, 'No conversations yet')}</p>` : nothing}
      <ul role="listbox" aria-label=${t(l, 'Conversations')} part="conversation-list">
        ${virtualize({
          items: list as ConversationSummary[],
          // Past the end of a list that just shrank, the virtualizer may ask once more for its old range.
          keyFunction: (c: ConversationSummary | undefined, i: number) => c?.jid ?? `gone-${i}`,
          renderItem: (c: ConversationSummary | undefined, i: number) => (c ? this.renderItem(c, presence[c.jid]?.show ?? 'offline', i) : html``),
          scroller: true,
          layout: flow(),
        })}
      </ul>`;
  }

  protected override updated() {
    // Pictures of the first screenfuls are looked up; everyone else's arrive with their presence.
    const s = this.session;
    if (!s) return;
    for (const c of s.$conversations.get().slice(0, 60)) if (c.kind === 'chat') s.avatars.want(c.jid);
  }

  private renderItem(c: ConversationSummary, show: string, index: number) {
    const when = c.activity ? (sameDay(c.activity, Date.now()) ? timeOf(c.activity, this.lang) : dayLabel(c.activity, this.lang)) : '';
    return html`<li role="option" tabindex="0" aria-label=${c.name} aria-selected=${c.jid === this.current}
        aria-setsize=${this.count} aria-posinset=${index + 1}
        class=${c.jid === this.current ? 'current' : ''} data-jid=${c.jid} data-index=${index}
        @click=${() => this.select(c)} @keydown=${(e: KeyboardEvent) => this.onItemKey(e, c, index)}>
      <span class="pic">${avatar(c.name, c.jid, 36, this.session?.avatars.$urls.get()[c.jid])}${c.kind === 'chat' ? html`<span class="dot" data-show=${show}></span>` : nothing}</span>
      <span class="text">
        <span class="line"><span class="title">${c.name}</span><span class="muted">${when}</span></span>
        <span class="line"><span class="preview muted">${c.preview ?? (c.kind === 'room' ? t(this.lang, 'Group') : c.jid)}</span>
          ${c.unread ? html`<span class="badge" aria-label=${t(this.lang, '{n} unread', { n: c.unread })}>${c.unread}</span>` : nothing}</span>
      </span>
    </li>`;
  }
}
