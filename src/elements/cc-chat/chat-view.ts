// One open conversation: header, the virtualized message log with message actions, typing line and
// composer. Messages can be walked with the arrow keys; each shows its actions when focused or hovered.
// Files dropped anywhere on the conversation go to the composer.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
// The default layout, named so it ships in this chunk: left out, the virtualizer fetches it as a
// chunk of its own after the first render.
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import type { Conversation } from '../../core/conversation.js';
import { canDelete, canEdit, canReport, findReplied, ownReactor, refOf, toggleReaction } from '../../core/message-actions.js';
import { mentionsMe } from '../../core/protocol/mentions.js';
import type { ChatMessage } from '../../core/protocol/message.js';
import type { Session } from '../../core/session.js';
import { countReactions } from '../../core/stores/apply-action.js';
import { t } from '../i18n.js';
import { dayLabel } from '../ui/format.js';
import type { ChatComposer } from './composer.js';
import { answerRoom, headerStyles, renderHeader, renderRoomDialog, type RoomQuestion } from './conversation-header.js';
import { messageStyles, renderMessage, toRows, type Row } from './message-item.js';
import { syncModal } from './dialog.js';
import { MessageActions, popupStyles } from './message-popups.js';
import { sharedStyles } from './shared-styles.js';

/** How many history pages a click on a quote may load looking for the quoted message. */
const MAX_JUMP_PAGES = 20;

/** Shortest time between two renders caused by new messages. */
const RENDER_EVERY = 50;

export class ChatView extends LitElement {
  static override styles = [sharedStyles, headerStyles, messageStyles, popupStyles, css`
    :host { display: flex; flex-direction: column; height: 100%; min-height: 0; background: var(--cc-bg); position: relative; }
    .drop { position: absolute; inset: 0; z-index: 5; display: grid; place-items: center; padding: 24px; text-align: center; font-weight: 600;
      background: color-mix(in srgb, var(--cc-bg) 85%, transparent); border: 3px dashed var(--cc-accent); border-radius: var(--cc-radius); }
    .drop * { pointer-events: none; }
    .log { flex: 1; min-height: 0; overflow-y: auto; padding: 0; }
    .day { align-self: center; margin: var(--cc-space) 0; font-size: 12px; color: var(--cc-muted); background: var(--cc-bubble-in); border-radius: 999px; padding: 2px 10px; }
    .system { align-self: center; font-size: 12px; color: var(--cc-muted); font-style: italic; text-align: center; }
    .typing { min-height: 20px; padding: 0 calc(var(--cc-space) * 1.5); font-size: 12px; color: var(--cc-muted); font-style: italic; }
    .notice { padding: 4px calc(var(--cc-space) * 1.5); font-size: 12px; background: var(--cc-bubble-in); }
    .empty { margin: auto; color: var(--cc-muted); text-align: center; padding: 24px; }
  `];

  static override properties = {
    session: { attribute: false },
    jid: {},
    showBack: { type: Boolean },
    lang: { attribute: false },
    attachments: { attribute: false },
    dropping: { state: true },
    showOccupants: { state: true },
    pin: { state: true },
    flashKey: { state: true },
    notice: { state: true },
    asking: { state: true },
  };
  session?: Session;
  jid = '';
  showBack = false;
  override lang = '';
  /** cc-chat's `attachments`: an accept list, or `none`. */
  attachments = '*/*';
  /** Files are being dragged over the conversation. */
  private dropping = false;
  private showOccupants = false;
  /** Where the list keeps its scroll position: the end (following), a row kept in place, or a row shown. */
  private pin: { index: number; block: 'start' | 'end' | 'center' | 'nearest' } | null = null;
  private flashKey = '';
  private notice = '';
  /** The room question (subject, invite) whose dialog is open. */
  private asking: { ask: RoomQuestion; error: string } | null = null;
  /** What had focus when that dialog opened, to return to. */
  private askedFrom?: HTMLElement;
  private get composer() { return this.renderRoot?.querySelector<ChatComposer>('cc-chat-composer') ?? undefined; }
  private get log() { return this.renderRoot?.querySelector<HTMLElement>('.log') ?? undefined; }
  private conv?: Conversation;
  private unsubs: (() => void)[] = [];
  private rows: Row[] = [];
  private rowsOf?: readonly ChatMessage[];
  private atBottom = true;
  private firstVisible = 0;
  private lastVisible = 0;
  private expanded = new Set<string>();
  private actions = new MessageActions(this);

  focusComposer() {
    // Right after the view appears the composer may not have rendered its box yet.
    void this.updateComplete.then(() => this.composer?.updateComplete).then(() => this.composer?.focus());
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
    syncModal(this.renderRoot, 'dialog.ask', !!this.asking);
    if (this.conv?.kind === 'chat') this.session?.avatars.want(this.conv.jid);
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
    this.actions.reset();
    this.notice = '';
    const rerender = () => this.requestUpdate();
    this.unsubs = [
      conv.$messages.listen(this.messagesChanged), conv.$loading.listen(rerender), conv.$typing.listen(rerender),
      s.$presence.listen(rerender), s.rooms.$rooms.listen(rerender), s.contacts.$roster.listen(rerender), s.contacts.$nicks.listen(rerender), s.avatars.$urls.listen(rerender),
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
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('drop', this.onDrop);
  }

  private onDragOver = (e: DragEvent) => {
    if (this.attachments === 'none' || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dropping = true;
  };

  private onDrop = (e: DragEvent) => {
    this.dropping = false;
    const files = [...(e.dataTransfer?.files ?? [])];
    if (this.attachments === 'none' || !files.length) return;
    e.preventDefault();
    this.composer?.addFiles(files);
  };

  private onScroll = () => {
    const log = this.log;
    if (!log) return;
    const bottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    // While following the end, the list's own layout passes through positions above it (sizes are
    // measured after a first estimate); only the user's scrolling, which unpins, leaves the bottom.
    if (bottom !== this.atBottom && (bottom || this.pin?.block !== 'end')) {
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

  private onSent = () => {
    this.atBottom = true;
    this.pin = { index: this.rows.length, block: 'end' };
  };

  // ---- for message actions (message-popups.ts) ----

  get conversation() {
    return this.conv;
  }

  startReply(m: ChatMessage) {
    this.composer?.startReply(m);
  }

  startEdit(m: ChatMessage) {
    this.composer?.startEdit(m);
  }

  showNotice(text: string) {
    this.notice = text;
  }

  /** Shows the message a reply quotes, paging back through history until it is loaded. */
  private async jump(m: ChatMessage) {
    const conv = this.conv;
    if (!conv) return;
    this.notice = '';
    for (let i = 0; ; i++) {
      const target = findReplied(conv, m);
      if (target) return this.reveal(target.key);
      if (conv.$complete.get() || i >= MAX_JUMP_PAGES || this.conv !== conv) break;
      // Scrolling may be loading a page already: wait for it rather than skip ours.
      await new Promise<void>((r) => {
        if (!conv.$loading.get()) return r();
        const off = conv.$loading.listen((busy) => {
          if (!busy) { off(); r(); }
        });
      });
      await conv.loadOlder();
    }
    if (this.conv === conv) this.notice = t(this.lang, 'The quoted message is not in the history any more.');
  }

  private async reveal(key: string) {
    await this.updateComplete;
    const i = this.rows.findIndex((r) => r.key === key);
    if (i < 0) return;
    this.flashKey = key;
    await this.showRow(i, 'center');
  }

  /** Scrolls row `i` into view (the list may first have to estimate, render and measure it) and focuses it. */
  private async showRow(i: number, block: 'center' | 'nearest') {
    const key = this.rows[i]?.key;
    if (!key) return;
    this.atBottom = false;
    const pin = { index: i, block };
    this.pin = pin;
    await this.focusMessage(key);
    // Shown: from here on the user scrolls freely.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (this.pin === pin) this.pin = null;
    }));
  }

  /** Focuses a message (or a control in it) once the virtual list has rendered it. */
  async focusMessage(key: string, inner?: string) {
    for (let frames = 0; frames < 60; frames++) {
      await this.updateComplete;
      const el = this.renderRoot.querySelector<HTMLElement>(`.msg[data-key="${CSS.escape(key)}"]`);
      const target = inner ? el?.querySelector<HTMLElement>(inner) : el;
      if (target) return target.focus({ preventScroll: !!inner });
      await new Promise((r) => requestAnimationFrame(r));
    }
  }

  /** Arrow keys walk the messages; Escape (here or in a message's toolbar) goes back to the composer. */
  private onMessageKey = (e: KeyboardEvent, m: ChatMessage) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.focusComposer();
      return;
    }
    if (e.target !== e.currentTarget) return;
    const msgRows = this.rows.filter((r): r is Extract<Row, { m: ChatMessage }> => 'm' in r && !r.m.system);
    const at = msgRows.findIndex((r) => r.key === m.key);
    const to = { ArrowUp: at - 1, ArrowDown: at + 1, Home: 0, End: msgRows.length - 1 }[e.key];
    if (to !== undefined && msgRows[to]) {
      e.preventDefault();
      void this.showRow(this.rows.findIndex((r) => r.key === msgRows[to].key), 'nearest');
    }
  };

  /** From the log itself, the arrow keys step into the messages on screen. */
  private onLogKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget || !['ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)) return;
    const visible = this.rows.slice(this.firstVisible, this.lastVisible + 1).filter((r) => 'm' in r && !r.m.system);
    const row = e.key === 'ArrowDown' || e.key === 'Home' ? visible[0] : visible.at(-1);
    if (!row) return;
    e.preventDefault();
    void this.focusMessage(row.key);
  };

  nameOf = (who: string) => {
    const s = this.session!;
    const conv = this.conv!;
    if (conv.kind === 'room') {
      const nick = who.startsWith(`${conv.jid}/`) ? who.slice(conv.jid.length + 1) : who;
      return nick === s.rooms.nickIn(conv.jid) ? t(this.lang, 'you') : nick;
    }
    return who === s.connection.bare ? t(this.lang, 'you') : s.contacts.name(who);
  };

  private typingLine(who: readonly string[]) {
    const l = this.lang;
    const vars = { names: new Intl.ListFormat(l || undefined, { type: 'conjunction' }).format(who), n: who.length };
    return who.length > 1 ? t(l, '{names} are typing…', vars) : t(l, '{names} is typing…', vars);
  }

  override render() {
    const s = this.session;
    const conv = this.conv;
    const l = this.lang;
    if (!s || !conv) return html`<p class="empty">${t(l, 'No conversation open')}</p>`;
    const room = conv.kind === 'room' ? s.rooms.$rooms.get()[conv.jid] : undefined;
    const typing = conv.$typing.get();
    return html`
      ${renderHeader({
        session: s, jid: conv.jid, room, lang: l, showBack: this.showBack, occupantsOpen: this.showOccupants,
        back: () => this.back(),
        toggleOccupants: () => { this.showOccupants = !this.showOccupants; },
        roomAction: (k) => {
          if (k === 'leave') return void s.rooms.leave(conv.jid).then(() => this.back());
          this.askedFrom = (this.shadowRoot?.activeElement as HTMLElement | null) ?? undefined;
          this.asking = { ask: k, error: '' };
        },
        openOccupant: (nick) => this.dispatchEvent(new CustomEvent('cc-profile', { detail: { jid: `${conv.jid}/${nick}` }, bubbles: true, composed: true })),
      })}
      ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
      <div class="log" part="log" role="log" aria-label=${t(l, 'Messages')} tabindex="0" @scroll=${this.onScroll} @keydown=${this.onLogKey}
        @unpinned=${() => { this.pin = null; }}
        @visibilityChanged=${(e: Event & { first?: number; last?: number }) => { this.firstVisible = e.first ?? 0; this.lastVisible = e.last ?? 0; }}>
        ${conv.$loading.get() && this.rows.length === 0 ? html`<p class="empty" role="status">${t(l, 'Loading…')}</p>` : nothing}
        ${virtualize({
          items: this.rows,
          // Right after rows go away (a blocked sender's), the list may still ask for the range it
          // had: indices past the end give undefined until it catches up.
          keyFunction: (r: Row | undefined, i: number) => r?.key ?? `gone-${i}`,
          renderItem: (r: Row | undefined) => (r ? this.renderRow(r) : html``),
          scroller: true,
          layout: flow(this.pin ? { pin: this.pin } : {}),
        })}
      </div>
      <div class="typing" aria-live="polite">${typing.length ? this.typingLine(typing) : ''}</div>
      <cc-chat-composer exportparts="composer, composer-banner" .session=${s} .conv=${conv} .accept=${this.attachments} .lang=${l} @cc-sent=${this.onSent}></cc-chat-composer>
      ${this.actions.dialog()}${this.actions.reportDialog()}
      ${renderRoomDialog({
        ask: this.asking?.ask ?? null, lang: l, error: this.asking?.error ?? '', subject: room?.subject ?? '',
        submit: (v) => void this.answer(v), cancel: () => this.closeAsk(),
      })}
      ${this.dropping ? html`<div class="drop" @dragleave=${() => { this.dropping = false; }}><p>${t(l, 'Drop files to send them')}</p></div>` : nothing}`;
  }

  private back() {
    this.dispatchEvent(new CustomEvent('cc-back', { bubbles: true, composed: true }));
  }

  private async answer(value: string) {
    const a = this.asking;
    if (!a || !this.session || !this.conv) return;
    if (!value) return this.closeAsk();
    const error = await answerRoom(this.session, this.conv.jid, a.ask, value, this.lang);
    if (this.asking !== a) return;
    if (error) this.asking = { ...a, error };
    else this.closeAsk();
  }

  private closeAsk() {
    this.asking = null;
    void this.updateComplete.then(() => this.askedFrom?.focus());
  }

  /** Focus back on an occupant in the list (their card closed). */
  focusOccupant(nick: string) {
    void this.updateComplete.then(() => [...this.renderRoot.querySelectorAll<HTMLElement>('button.occupant')].find((b) => b.dataset.nick === nick)?.focus());
  }

  private renderRow(r: Row) {
    if ('day' in r) return html`<div class="row"><span class="day" role="separator">${dayLabel(r.day, this.lang)}</span></div>`;
    const m = r.m;
    // System lines (calls, room events) are stored in English; their template shows them in the UI's language.
    if (m.system) return html`<div class="row"><span class="system">${m.template ? t(this.lang, m.template.key, m.template.vars) : m.body}</span></div>`;
    const s = this.session!;
    const conv = this.conv!;
    const me = ownReactor(s, conv);
    const respond = !!refOf(conv, m);
    return renderMessage(m, {
      lang: this.lang, showNick: r.showNick, nameOf: this.nameOf,
      replied: m.reply ? findReplied(conv, m) : undefined,
      reactions: countReactions(m.reactions, me),
      mentioned: conv.kind === 'room' && mentionsMe(m, conv.jid, me, s.connection.bare),
      canRespond: respond, canEdit: canEdit(conv, m), canDelete: canDelete(s, conv, m), canReport: canReport(m),
      expanded: this.expanded.has(m.key), flash: this.flashKey === m.key,
      picker: this.actions.popupFor(m),
      on: {
        action: this.actions.run,
        react: (msg, emoji) => toggleReaction(s, conv, msg, emoji),
        jump: (msg) => void this.jump(msg),
        expand: (msg) => { this.expanded.add(msg.key); this.requestUpdate(); },
        key: this.onMessageKey,
        flashed: () => { this.flashKey = ''; },
        retry: (msg) => s.retry(msg.conversation, msg.key),
      },
    });
  }
}
