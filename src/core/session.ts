// An account's session: the connection plus the stores and actions elements use. Elements never
// build stanzas; they call these methods and render these stores.
import { atom } from 'nanostores';
import { queryArchive } from './archive.js';
import type { AccountConfig } from './config.js';
import { Connection } from './connection.js';
import { Avatars } from './avatars.js';
import { Blocking } from './blocking.js';
import { CallLog, type CallEvent } from './call-log.js';
import { Contacts } from './contacts.js';
import { Conversation, type ConversationKind } from './conversation.js';
import { Disco } from './disco.js';
import { Memberships } from './memberships.js';
import { Mutes } from './mutes.js';
import type { ActionSource } from './message-actions.js';
import { isAction } from './protocol/actions.js';
import { chatStateMessage, displayedMessage, parseChatState, parseDisplayed } from './protocol/chat-states.js';
import type { ArchivedStanza } from './protocol/mam.js';
import {
  bare, buildChatMessage, buildGroupMessage, parseChatMessage, parseGroupMessage, unwrapCarbon, type ChatMessage,
} from './protocol/message.js';
import { parseInvite } from './protocol/muc.js';
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

/** What a caller adds to an outgoing message (see message-actions.ts sendText). */
export interface OutgoingExtras {
  /** Text sent before the body for clients that lack a feature (a XEP-0428 fallback), not shown here. */
  prefix?: string;
  payload?: Element[];
  /** Fields of the message as shown here. */
  fields?: Partial<ChatMessage>;
}

const PAUSE_AFTER = 5000;

export class Session {
  readonly connection: Connection;
  readonly contacts: Contacts;
  readonly rooms: Rooms;
  /** Room memberships shared by the chat, room calls and boards of this session. */
  readonly memberships: Memberships;
  readonly disco: Disco;
  readonly avatars: Avatars;
  readonly mutes: Mutes;
  readonly blocking: Blocking;
  /** Calls (XEP-0353) as events in their conversations. */
  readonly callLog: CallLog;
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
  private summaryQueued = false;

  constructor(readonly config: AccountConfig) {
    this.connection = new Connection(config, `cc-${newId().slice(0, 8)}`);
    this.disco = new Disco(this.connection);
    this.disco.onChange(() => void this.announcePresence().catch(() => {}));
    this.avatars = new Avatars(this.connection, this.disco);
    this.mutes = new Mutes(this.connection);
    this.blocking = new Blocking(this.connection);
    // Whatever was on screen from someone just blocked goes too (the archive may also have raced the list).
    this.blocking.$blocked.listen(() => {
      for (const c of this.conversations.values()) c.store.removeWhere((m) => this.fromBlocked(m));
      this.queueSummary();
    });
    const changed = () => this.queueSummary();
    this.contacts = new Contacts(this.connection, changed);
    this.memberships = new Memberships(this.connection);
    this.rooms = new Rooms(this.connection, this.memberships, () => this.config.nick ?? this.connection.bare.split('@')[0]!,
      (e) => this.conversation(e.room, 'room').store.add([systemMessage(e.room, e.text)]), changed);
    this.callLog = new CallLog(() => ({ bare: this.connection.bare, full: this.connection.jid }), (e) => this.postCallEvent(e));
    this.connection.onStanza((s) => {
      // Only watches: the call engine, when loaded, acts on these messages.
      if (s.is('message')) this.callLog.received(s);
      return false;
    });
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
  sendMessage(to: string, body: string, extras: OutgoingExtras = {}): ChatMessage {
    const conv = this.conversation(to);
    const id = newId();
    const room = conv.kind === 'room';
    const nick = room ? this.rooms.nickIn(conv.jid) : undefined;
    const msg: ChatMessage = {
      key: id, conversation: conv.jid, from: room ? `${conv.jid}/${nick}` : this.connection.bare, nick,
      direction: 'out', body, timestamp: Date.now(), originId: id, id, status: 'pending', ...extras.fields,
    };
    conv.store.add([msg]);
    this.stopComposing(conv.jid, false);
    const wire = (extras.prefix ?? '') + body;
    const stanza = room ? buildGroupMessage(conv.jid, wire, id) : buildChatMessage(conv.jid, wire, id);
    for (const el of extras.payload ?? []) stanza.append(el);
    this.unsent.push({ conversation: conv.jid, stanza, key: id });
    void this.flush();
    return msg;
  }

  async setPresence(show: Show, status?: string) {
    this.$ownPresence.set({ show, status });
    await this.announcePresence();
  }

  /** Our presence, with caps so contacts and the server's PEP know what we support. */
  private async announcePresence() {
    const own = this.$ownPresence.get();
    const caps = await this.disco.caps();
    if (this.connection.online) await this.connection.send(buildPresence(own.show, own.status, [caps]));
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
      await this.announcePresence();
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
    if (kind === 'chat') for (const it of items) this.callLog.received(it.message, it.timestamp);
    for (const it of items) {
      // An invitation to a room is not a conversation with the room (rooms.ts handles live ones).
      if (kind === 'chat' && parseInvite(it.message)) continue;
      if (isAction(it.message)) {
        const from = bare(String(it.message.attrs.from ?? own));
        const conv = jid ?? (from === own ? bare(String(it.message.attrs.to ?? '')) : from);
        if (conv) this.takeAction(this.conversation(conv, kind), it.message, { archived: it, sent: kind === 'chat' && from === own });
        continue;
      }
      const m = kind === 'room'
        ? parseGroupMessage(it.message, { ownNick: this.rooms.nickIn(jid!), archived: { ...it, by: jid! } })
        : parseChatMessage(it.message, { ownBare: own, archived: { ...it, by: own } });
      if (m && (jid === null || m.conversation === jid) && !this.fromBlocked(m)) out.push(m);
    }
    return out;
  }

  /** A message by someone the user blocked: hidden (the server stops new ones; these are older or in rooms). */
  private fromBlocked(m: ChatMessage): boolean {
    if (m.direction !== 'in') return false;
    const author = m.from.includes('/') && this.rooms.$rooms.get()[m.conversation]
      ? this.rooms.$rooms.get()[m.conversation]!.occupants[m.from.slice(m.conversation.length + 1)]?.jid
      : m.from;
    return !!author && this.blocking.has(bare(author));
  }

  /** Shows a call event in its conversation, or updates it as the call goes on. */
  private postCallEvent(e: CallEvent) {
    const conv = this.conversation(e.conversation, 'chat');
    if (conv.$messages.get().some((m) => m.key === e.key)) conv.store.update(e.key, { body: e.text });
    else {
      conv.store.add([{
        key: e.key, id: e.key, conversation: conv.jid, from: conv.jid, direction: 'in', body: e.text, timestamp: e.timestamp,
        status: 'received', system: true,
      }]);
    }
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
    if (isAction(message)) {
      this.takeAction(conv, message, { sent });
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
    if (isAction(s)) {
      this.takeAction(conv, s, {});
      return true;
    }
    const msg = parseGroupMessage(s, { ownNick: own });
    if (!msg) return state !== null || s.getChild('subject') !== undefined;
    if (s.getChild('delay', NS.delay) && !msg.stanzaId) return true; // Join history; we use the archive.
    this.deliver(conv, msg);
    return true;
  }

  private actions?: Promise<typeof import('./message-actions.js')>;

  /** Corrections, retractions and reactions: their code loads on first use; order is kept. */
  private takeAction(conv: Conversation, m: Element, src: ActionSource) {
    // Callbacks on one promise run in the order they were added.
    this.actions ??= import('./message-actions.js');
    this.actions.then((a) => a.receiveAction(this, conv, m, src)).catch((e) => console.warn('cc: could not apply a message action', e));
  }

  private deliver(conv: Conversation, msg: ChatMessage) {
    if (this.fromBlocked(msg)) return;
    const before = conv.$messages.get().length;
    conv.store.add([msg], conv.kind === 'room' && msg.direction === 'out' ? 'newest' : 'auto');
    if (msg.direction !== 'in' || conv.$messages.get().length === before) return;
    if (this.active === conv.jid) this.markRead(conv);
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

