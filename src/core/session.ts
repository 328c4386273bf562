// An account's session: the connection plus the stores and actions elements use. Elements never
// build stanzas; they call these methods and render these stores.
import { atom } from 'nanostores';
import { queryArchive } from './archive.js';
import type { AccountConfig } from './config.js';
import { Connection } from './connection.js';
import { Contacts } from './contacts.js';
import { Conversation, type ConversationKind } from './conversation.js';
import { chatStateMessage, displayedMessage, parseChatState, parseDisplayed } from './protocol/chat-states.js';
import type { ArchivedStanza } from './protocol/mam.js';
import {
  bare, buildChatMessage, buildGroupMessage, parseChatMessage, parseGroupMessage, unwrapCarbon, type ChatMessage,
} from './protocol/message.js';
import { buildPresence, type Show } from './protocol/presence.js';
import { receiptFor, receivedId } from './protocol/receipts.js';
import { Rooms } from './rooms.js';
import { summarize, type ConversationSummary } from './summaries.js';
import { NS, xml, type Element } from './xmpp.js';

export const newId = () => crypto.randomUUID();

export interface IncomingEvent {
  from: string;
  conversation: string;
  text: string;
}

const PAUSE_AFTER = 5000;
/** Longest wait before a displayed marker goes out for messages read as they arrive. */
const MARK_EVERY = 300;

export class Session {
  readonly connection: Connection;
  readonly contacts: Contacts;
  readonly rooms: Rooms;
  readonly $ownPresence = atom<{ show: Show; status?: string }>({ show: 'available' });
  /** Every conversation worth listing, most recent activity first. */
  readonly $conversations = atom<readonly ConversationSummary[]>([]);
  readonly $unreadTotal = atom(0);
  private readonly conversations = new Map<string, Conversation>();
  private readonly incomingListeners = new Set<(e: IncomingEvent) => void>();
  /** Messages waiting for a connection, oldest first. */
  private readonly unsent: { conversation: string; stanza: Element; key: string }[] = [];
  private active: string | null = null;
  private composing = new Map<string, ReturnType<typeof setTimeout>>();
  private markTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private summaryQueued = false;

  constructor(readonly config: AccountConfig) {
    this.connection = new Connection(config, `cc-${newId().slice(0, 8)}`);
    const changed = () => this.queueSummary();
    this.contacts = new Contacts(this.connection, changed);
    this.rooms = new Rooms(this.connection, () => this.config.nick ?? this.connection.bare.split('@')[0]!,
      (e) => this.conversation(e.room, 'room').store.add([systemMessage(e.room, e.text)]), changed);
    this.connection.onStanza((s) => (s.is('message') ? this.onMessage(s) : false));
    this.connection.onOnline((resumed) => this.onOnline(resumed));
  }

  get $presence() {
    return this.contacts.$presence;
  }

  start() {
    return this.connection.start();
  }

  stop() {
    return this.connection.stop();
  }

  conversation(jid: string, kind?: ConversationKind): Conversation {
    const key = bare(jid);
    let c = this.conversations.get(key);
    if (!c) {
      const k = kind ?? (this.rooms.$rooms.get()[key] ? 'room' : 'chat');
      c = new Conversation(key, k, this.connection, (items) => this.parseArchive(key, k, items), () => this.queueSummary());
      this.conversations.set(key, c);
      this.queueSummary();
    }
    return c;
  }

  onIncoming(fn: (e: IncomingEvent) => void): () => void {
    this.incomingListeners.add(fn);
    return () => this.incomingListeners.delete(fn);
  }

  /** Shows the message at once as pending; it turns sent when the server has it. */
  sendMessage(to: string, body: string): ChatMessage {
    const conv = this.conversation(to);
    const id = newId();
    const room = conv.kind === 'room';
    const nick = room ? this.rooms.nickIn(conv.jid) : undefined;
    const msg: ChatMessage = {
      key: id, conversation: conv.jid, from: room ? `${conv.jid}/${nick}` : this.connection.bare, nick,
      direction: 'out', body, timestamp: Date.now(), originId: id, id, status: 'pending',
    };
    conv.store.add([msg]);
    this.stopComposing(conv.jid, false);
    this.unsent.push({ conversation: conv.jid, stanza: room ? buildGroupMessage(conv.jid, body, id) : buildChatMessage(conv.jid, body, id), key: id });
    void this.flush();
    return msg;
  }

  async setPresence(show: Show, status?: string) {
    this.$ownPresence.set({ show, status });
    if (this.connection.online) await this.connection.send(buildPresence(show, status));
  }

  /**
   * The conversation the user is looking at (null: none, or the page/panel is hidden). Its
   * incoming messages count as read: unread clears and a displayed marker goes out.
   */
  setActive(jid: string | null) {
    this.active = jid ? bare(jid) : null;
    if (this.active) this.markRead(this.conversation(this.active));
  }

  /** Call on every edit of the composer; typing notifications follow (XEP-0085). */
  typing(jid: string) {
    const conv = this.conversation(jid);
    if (!this.composing.has(conv.jid)) void this.sendState(conv, 'composing');
    clearTimeout(this.composing.get(conv.jid));
    this.composing.set(conv.jid, setTimeout(() => this.stopComposing(conv.jid, true), PAUSE_AFTER));
  }

  private stopComposing(jid: string, sendPaused: boolean) {
    if (!this.composing.has(jid)) return;
    clearTimeout(this.composing.get(jid));
    this.composing.delete(jid);
    if (sendPaused) void this.sendState(this.conversation(jid), 'paused');
  }

  private async sendState(conv: Conversation, state: 'composing' | 'paused') {
    if (!this.connection.online) return;
    if (conv.kind === 'room' && !this.rooms.$rooms.get()[conv.jid]?.joined) return;
    await this.connection.send(chatStateMessage(conv.jid, state, conv.kind === 'room' ? 'groupchat' : 'chat')).catch(() => {});
  }

  private markRead(conv: Conversation) {
    conv.$unread.set(0);
    this.recountUnread();
    const lastIn = [...conv.$messages.get()].reverse().find((m) => m.direction === 'in' && !m.system);
    if (!lastIn || !this.connection.online) return;
    const ref = conv.kind === 'room' ? lastIn.stanzaId : lastIn.id;
    if (!ref || lastIn.status === 'read') return;
    conv.store.update(lastIn.key, { status: 'read' });
    void this.connection.send(displayedMessage(conv.jid, ref, conv.kind === 'room' ? 'groupchat' : 'chat')).catch(() => {});
  }

  /**
   * A marker covers every message before it (XEP-0333), so during a burst one per short while is
   * enough; one per message doubled the server's work and slowed the burst itself down.
   */
  private markReadSoon(conv: Conversation) {
    if (this.markTimers.has(conv.jid)) return;
    this.markTimers.set(conv.jid, setTimeout(() => {
      this.markTimers.delete(conv.jid);
      if (this.active === conv.jid) this.markRead(conv);
    }, MARK_EVERY));
  }

  private recountUnread() {
    let total = 0;
    for (const c of this.conversations.values()) total += c.$unread.get();
    if (total !== this.$unreadTotal.get()) this.$unreadTotal.set(total);
  }

  private queueSummary() {
    if (this.summaryQueued) return;
    this.summaryQueued = true;
    // Many changes arrive together (a roster, an archive page, a burst): recompute once per task.
    queueMicrotask(() => {
      this.summaryQueued = false;
      this.$conversations.set(summarize(this.contacts.$roster.get(), this.rooms.$rooms.get(), this.conversations.values(), (j) => this.contacts.name(j)));
      this.recountUnread();
    });
  }

  private async flush() {
    while (this.connection.online && this.unsent.length > 0) {
      const next = this.unsent[0]!;
      try {
        await this.connection.send(next.stanza);
      } catch {
        return; // Still queued; retried when we are online again.
      }
      this.unsent.shift();
      this.conversation(next.conversation).store.update(next.key, { status: 'sent' });
    }
  }

  private async onOnline(resumed: boolean) {
    if (!resumed) {
      const own = this.$ownPresence.get();
      await this.connection.send(buildPresence(own.show, own.status));
      await this.connection.request(xml('iq', { type: 'set' }, xml('enable', { xmlns: NS.carbons }))).catch(() => {});
    }
    await this.flush();
    if (!resumed) {
      // A fresh stream may have missed messages while we were away: the archive has them.
      await Promise.all([...this.conversations.values()].map((c) => c.loadLatest().catch(() => {})));
      await this.loadRecent().catch(() => {});
    }
  }

  /** Recent 1:1 conversations from our archive, so the list shows them with previews. */
  private async loadRecent() {
    const page = await queryArchive(this.connection, { before: '', max: 100 });
    const byConv = new Map<string, ChatMessage[]>();
    for (const m of this.parseArchive(null, 'chat', page.items)) {
      if (!byConv.has(m.conversation)) byConv.set(m.conversation, []);
      byConv.get(m.conversation)!.push(m);
    }
    for (const [jid, msgs] of byConv) this.conversation(jid, 'chat').store.add(msgs);
  }

  private parseArchive(jid: string | null, kind: ConversationKind, items: ArchivedStanza[]): ChatMessage[] {
    const own = this.connection.bare;
    const out: ChatMessage[] = [];
    for (const it of items) {
      const m = kind === 'room'
        ? parseGroupMessage(it.message, { ownNick: this.rooms.nickIn(jid!), archived: { ...it, by: jid! } })
        : parseChatMessage(it.message, { ownBare: own, archived: { ...it, by: own } });
      if (m && (jid === null || m.conversation === jid)) out.push(m);
    }
    return out;
  }

  private onMessage(s: Element): boolean {
    if (s.attrs.type === 'groupchat') return this.onGroupMessage(s);
    const own = this.connection.bare;
    const unwrapped = unwrapCarbon(s, own);
    if (!unwrapped) return true;
    const { message, sent } = unwrapped;
    const peer = bare(sent ? String(message.attrs.to ?? '') : String(message.attrs.from ?? ''));
    if (!peer || this.rooms.$rooms.get()[peer]) return false;
    const receipt = receiptFor(message, newId());
    if (receipt && !sent) void this.connection.send(receipt).catch(() => {});
    const conv = this.conversation(peer, 'chat');
    const confirmed = receivedId(message);
    if (confirmed) {
      const target = conv.$messages.get().find((m) => m.direction === 'out' && m.id === confirmed);
      if (target && target.status !== 'read') conv.store.update(target.key, { status: 'delivered' });
      return true;
    }
    const displayed = parseDisplayed(message);
    if (displayed) {
      if (sent) {
        // Our other device read it: unread clears here too.
        conv.$unread.set(0);
        this.recountUnread();
      } else {
        markReadUpTo(conv, displayed);
      }
      return true;
    }
    const state = parseChatState(message);
    const msg = parseChatMessage(message, { ownBare: own, sentByUs: sent || undefined });
    if (!sent && state) conv.setTyping(this.contacts.name(peer), state === 'composing');
    if (!msg) return state !== null;
    this.deliver(conv, msg);
    return true;
  }

  private onGroupMessage(s: Element): boolean {
    const room = bare(String(s.attrs.from ?? ''));
    if (!this.rooms.$rooms.get()[room]) return false;
    const conv = this.conversation(room, 'room');
    const nick = String(s.attrs.from).slice(room.length + 1);
    const own = this.rooms.nickIn(room);
    const state = parseChatState(s);
    if (state && nick !== own) conv.setTyping(nick, state === 'composing');
    const msg = parseGroupMessage(s, { ownNick: own });
    if (!msg) return state !== null || s.getChild('subject') !== undefined;
    if (s.getChild('delay', NS.delay) && !msg.stanzaId) return true; // Join history; we use the archive.
    this.deliver(conv, msg);
    return true;
  }

  private deliver(conv: Conversation, msg: ChatMessage) {
    const before = conv.$messages.get().length;
    conv.store.add([msg]);
    if (msg.direction !== 'in' || conv.$messages.get().length === before) return;
    if (this.active === conv.jid) this.markReadSoon(conv);
    else {
      conv.$unread.set(conv.$unread.get() + 1);
      this.recountUnread();
    }
    for (const fn of this.incomingListeners) fn({ from: msg.from, conversation: msg.conversation, text: msg.body });
  }
}

function markReadUpTo(conv: Conversation, id: string) {
  const list = conv.$messages.get();
  const idx = list.findIndex((m) => m.direction === 'out' && m.id === id);
  if (idx < 0) return;
  // A marker means everything up to that message was read.
  conv.store.patchWhere((m, i) => i <= idx && m.direction === 'out' && (m.status === 'sent' || m.status === 'delivered'), { status: 'read' });
}

function systemMessage(room: string, text: string): ChatMessage {
  const id = `sys-${newId()}`;
  return { key: id, conversation: room, from: room, direction: 'in', body: text, timestamp: Date.now(), status: 'received', system: true };
}

