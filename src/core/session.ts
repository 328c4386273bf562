// An account's session: the connection plus the stores and actions elements use. Elements never
// build stanzas; they call these methods and render these stores.
import { atom, map, type ReadableAtom } from 'nanostores';
import { queryArchive } from './archive.js';
import type { AccountConfig } from './config.js';
import { Connection } from './connection.js';
import { bare, buildChatMessage, parseChatMessage, unwrapCarbon, type ChatMessage } from './protocol/message.js';
import { bestPresence, buildPresence, parsePresence, type PresenceInfo, type Show } from './protocol/presence.js';
import { receiptFor, receivedId } from './protocol/receipts.js';
import { createMessageStore, type MessageStore } from './stores/messages.js';
import type { Element } from './xmpp.js';

export const newId = () => crypto.randomUUID();

export interface IncomingEvent {
  from: string;
  conversation: string;
  text: string;
}

export class Conversation {
  readonly store: MessageStore = createMessageStore();
  readonly $loading = atom(false);
  readonly $complete = atom(false);
  private oldest?: string;

  constructor(readonly jid: string, private readonly session: Session) {}

  get $messages(): ReadableAtom<readonly ChatMessage[]> {
    return this.store.$messages;
  }

  /** Loads the newest page of history (again after a reconnect; duplicates merge away). */
  async loadLatest(max = 50): Promise<void> {
    await this.loadPage('', max);
  }

  async loadOlder(max = 50): Promise<void> {
    if (this.$complete.get() || this.oldest === undefined) return;
    await this.loadPage(this.oldest, max);
  }

  private async loadPage(before: string, max: number) {
    const conn = this.session.connection;
    if (!conn.online || this.$loading.get()) return;
    this.$loading.set(true);
    try {
      const page = await queryArchive(conn, { with: this.jid, before, max });
      const msgs = page.items
        .map((it) => parseChatMessage(it.message, { ownBare: conn.bare, archived: { ...it, by: conn.bare } }))
        .filter((m): m is ChatMessage => m !== null && m.conversation === this.jid);
      this.store.add(msgs);
      if (before === '' || this.oldest === undefined) this.oldest = page.first;
      else if (page.first) this.oldest = page.first;
      if (before !== '' || this.oldest === undefined) this.$complete.set(page.complete);
      else if (page.complete) this.$complete.set(true);
    } finally {
      this.$loading.set(false);
    }
  }
}

export class Session {
  readonly connection: Connection;
  /** Best presence per contact (bare JID). */
  readonly $presence = map<Record<string, PresenceInfo>>({});
  readonly $ownPresence = atom<{ show: Show; status?: string }>({ show: 'available' });
  private readonly resources = new Map<string, Map<string, PresenceInfo>>();
  private readonly conversations = new Map<string, Conversation>();
  private readonly incomingListeners = new Set<(e: IncomingEvent) => void>();
  /** Messages waiting for a connection, oldest first. */
  private readonly unsent: { conversation: string; stanza: Element; key: string }[] = [];

  constructor(readonly config: AccountConfig) {
    this.connection = new Connection(config, `cc-${newId().slice(0, 8)}`);
    this.connection.onStanza((s) => this.onStanza(s));
    this.connection.onOnline((resumed) => this.onOnline(resumed));
  }

  start() {
    return this.connection.start();
  }

  stop() {
    return this.connection.stop();
  }

  conversation(jid: string): Conversation {
    const key = bare(jid);
    let c = this.conversations.get(key);
    if (!c) this.conversations.set(key, (c = new Conversation(key, this)));
    return c;
  }

  onIncoming(fn: (e: IncomingEvent) => void): () => void {
    this.incomingListeners.add(fn);
    return () => this.incomingListeners.delete(fn);
  }

  /** Shows the message at once as pending; it turns sent when the server has it. */
  sendMessage(to: string, body: string): ChatMessage {
    const id = newId();
    const conv = this.conversation(to);
    const msg: ChatMessage = {
      key: id, conversation: conv.jid, from: this.connection.bare, direction: 'out', body,
      timestamp: Date.now(), originId: id, id, status: 'pending',
    };
    conv.store.add([msg]);
    this.unsent.push({ conversation: conv.jid, stanza: buildChatMessage(conv.jid, body, id), key: id });
    void this.flush();
    return msg;
  }

  async setPresence(show: Show, status?: string) {
    this.$ownPresence.set({ show, status });
    if (this.connection.online) await this.connection.send(buildPresence(show, status));
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
    }
    await this.flush();
    if (!resumed) {
      // A fresh stream may have missed messages while we were away: the archive has them.
      await Promise.all([...this.conversations.values()].map((c) => c.loadLatest().catch(() => {})));
    }
  }

  private onStanza(s: Element): boolean {
    if (s.is('presence')) return this.onPresence(s);
    if (s.is('message')) return this.onMessage(s);
    return false;
  }

  private onPresence(s: Element): boolean {
    const p = parsePresence(s);
    if (!p) return false;
    let res = this.resources.get(p.bare);
    if (!res) this.resources.set(p.bare, (res = new Map()));
    if (p.info.show === 'offline') res.delete(p.resource);
    else res.set(p.resource, p.info);
    this.$presence.setKey(p.bare, bestPresence(res.values(), p.info.lastSeen ?? this.$presence.get()[p.bare]?.lastSeen));
    return true;
  }

  private onMessage(s: Element): boolean {
    const own = this.connection.bare;
    const unwrapped = unwrapCarbon(s, own);
    if (!unwrapped) return true;
    const { message, sent } = unwrapped;
    const receipt = receiptFor(message, newId());
    if (receipt && !sent) void this.connection.send(receipt).catch(() => {});
    const confirmed = receivedId(message);
    if (confirmed) {
      const conv = this.conversation(sent ? message.attrs.to : message.attrs.from);
      const target = conv.$messages.get().find((m) => m.direction === 'out' && (m.id === confirmed || m.originId === confirmed));
      if (target && target.status !== 'read') conv.store.update(target.key, { status: 'delivered' });
      return true;
    }
    const msg = parseChatMessage(message, { ownBare: own, sentByUs: sent || undefined });
    if (!msg) return false;
    this.conversation(msg.conversation).store.add([msg]);
    if (msg.direction === 'in') {
      for (const fn of this.incomingListeners) fn({ from: msg.from, conversation: msg.conversation, text: msg.body });
    }
    return true;
  }
}
