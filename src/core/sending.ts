// Outgoing messages: shown at once as pending, kept in the durable outbox until the server has them
// (its stream-management ack, or our copy in the archive), sent in order whenever we are online,
// and marked failed, with the reason, when the server or the recipient bounces them.
import { lastArchiveId } from './catchup.js';
import type { Connection } from './connection.js';
import type { Conversation, ConversationKind } from './conversation.js';
import type { Outbox, OutboxRecord } from './outbox.js';
import type { StoredElement } from './persist/db.js';
import { parseBounce } from './protocol/bounce.js';
import { buildChatMessage, buildGroupMessage, type ChatMessage } from './protocol/message.js';
import { xml, type Element } from './xmpp.js';

export interface SenderContext {
  conversation(jid: string, kind?: ConversationKind): Conversation;
  /** Our nick in a room, once known. */
  nickIn(room: string): string | undefined;
  /** 'joined', 'failed' (cannot join) or 'waiting'. */
  roomState(room: string): 'joined' | 'failed' | 'waiting';
  ownBare(): string;
  /** The name we gave ourselves (XEP-0172), sent with 1:1 messages. */
  readonly config: { nick?: string };
}

/** What a caller adds to an outgoing message (see message-actions.ts sendText). */
export interface OutgoingExtras {
  /** Text sent before the body for clients that lack a feature (a XEP-0428 fallback), not shown here. */
  prefix?: string;
  payload?: Element[];
  /** Fields of the message as shown here. */
  fields?: Partial<ChatMessage>;
}

const ARRIVED = new Set(['sent', 'delivered', 'read']);

export class Sender {
  private flushing = false;
  private again = false;
  /** Conversations whose uncertain messages wait for the archive to say whether they arrived. */
  private readonly checking = new Set<string>();

  constructor(private readonly conn: Connection, private readonly outbox: Outbox, private readonly ctx: SenderContext) {
    conn.onStreamAck((stanza, acked) => {
      const id = stanza.is('message') ? stanza.attrs.id : undefined;
      // A bounce may come before the ack of the same message: it stays failed.
      if (!id || this.outbox.get(id)?.state !== 'pending') return;
      if (acked) this.confirm(id);
      else this.outbox.lost(id);
    });
  }

  /** Keeps a message the session shows as pending, and sends it as soon as it can. */
  enqueue(msg: ChatMessage, kind: ConversationKind, extras: OutgoingExtras = {}) {
    this.outbox.add({
      id: msg.key, conversation: msg.conversation, kind, body: msg.body, createdAt: msg.timestamp,
      after: lastArchiveId(this.ctx.conversation(msg.conversation, kind)),
      prefix: extras.prefix, payload: extras.payload?.map(store), fields: extras.fields,
    });
    void this.flush();
  }

  /** Puts what an earlier page left back into its conversations. */
  async restore(): Promise<void> {
    const recs = await this.outbox.load();
    for (const r of recs) this.ctx.conversation(r.conversation, r.kind).store.add([this.messageOf(r)]);
    void this.flush();
  }

  retry(conversation: string, key: string) {
    const r = this.outbox.retry(key);
    if (!r) return;
    this.ctx.conversation(conversation).store.update(key, { status: 'pending', error: undefined });
    void this.flush();
  }

  /** Conversations with messages that may or may not have reached the server. */
  uncertainConversations(): string[] {
    return [...new Set(this.outbox.all().filter((r) => this.outbox.isUncertain(r.id)).map((r) => r.conversation))];
  }

  /**
   * Where the archive check of a conversation has to start so that it sees its oldest uncertain
   * message. Reading on from the newest message known now would miss ours that the server took
   * before that one: they would look lost and go out twice.
   */
  checkFrom(conversation: string): string | undefined {
    return this.outbox.all().find((r) => r.conversation === conversation && this.outbox.isUncertain(r.id))?.after;
  }

  /** A fresh stream: hold conversations with uncertain messages until their archive is checked. */
  holdUncertain() {
    for (const c of this.uncertainConversations()) this.checking.add(c);
  }

  /**
   * After a conversation's archive catch-up: our messages it holds arrived (their copies merged in
   * and are no longer pending); if it read to the end, the uncertain ones it lacks never did, and
   * go out again. (Cut short, they stay uncertain until the next catch-up.)
   */
  checked(conversation: string, complete: boolean) {
    const conv = this.ctx.conversation(conversation);
    const byKey = new Map(conv.$messages.get().map((m) => [m.key, m]));
    for (const r of this.outbox.all()) {
      if (r.conversation !== conv.jid) continue;
      const m = byKey.get(r.id);
      if (m && ARRIVED.has(m.status)) this.outbox.confirm(r.id);
      else if (complete && this.outbox.isUncertain(r.id)) this.outbox.notArrived(r.id);
    }
    this.checking.delete(conv.jid);
    void this.flush();
  }

  /** Something proves the server had it (a delivery receipt). */
  arrived(id: string) {
    if (this.outbox.get(id)?.state === 'pending') this.confirm(id);
  }

  /** A bounced message of ours: marked failed with the reason. Returns whether it was one. */
  onBounce(s: Element): boolean {
    const b = parseBounce(s);
    if (!b) return false;
    const rec = this.outbox.get(b.id);
    const conv = this.ctx.conversation(rec?.conversation ?? b.from);
    const msg = conv.$messages.get().find((m) => m.key === b.id || (m.direction === 'out' && m.id === b.id));
    if (!msg || msg.direction !== 'out') return !!rec;
    const error = `Not sent: ${b.reason}`;
    this.outbox.fail(rec ?? { id: msg.key, conversation: conv.jid, kind: conv.kind, body: msg.body, createdAt: msg.timestamp }, error);
    conv.store.update(msg.key, { status: 'failed', error });
    return true;
  }

  /** Sends what is ready, oldest first, keeping each conversation's order. */
  async flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.again = false;
        const held = new Set(this.checking);
        for (const r of this.outbox.ready()) {
          if (!this.conn.online) return;
          if (held.has(r.conversation) || this.outbox.isUncertain(r.id)) {
            held.add(r.conversation);
            continue;
          }
          // A room takes messages only from occupants: wait for the join (or send, and let it bounce).
          if (r.kind === 'room' && this.ctx.roomState(r.conversation) === 'waiting') {
            held.add(r.conversation);
            continue;
          }
          if (!(await this.write(r))) return;
        }
      } while (this.again);
    } finally {
      this.flushing = false;
    }
  }

  private async write(r: OutboxRecord): Promise<boolean> {
    const conv = this.ctx.conversation(r.conversation, r.kind);
    const room = r.kind === 'room';
    // Who we are in it may have become known since it was written (offline, before the first login).
    const from = room ? `${conv.jid}/${this.ctx.nickIn(conv.jid)}` : this.ctx.ownBare();
    const m = conv.$messages.get().find((x) => x.key === r.id);
    if (m && m.from !== from) conv.store.update(r.id, { from, nick: room ? this.ctx.nickIn(conv.jid) : undefined });
    this.outbox.sending(r.id);
    const wire = (r.prefix ?? '') + r.body;
    const stanza = room ? buildGroupMessage(conv.jid, wire, r.id) : buildChatMessage(conv.jid, wire, r.id, this.ctx.config.nick);
    for (const el of r.payload ?? []) stanza.append(revive(el));
    try {
      await this.conn.send(stanza);
    } catch {
      this.outbox.lost(r.id);
      return false;
    }
    // Without stream management the write is all we will ever learn.
    if (!this.conn.smEnabled) this.confirm(r.id);
    return true;
  }

  private confirm(id: string) {
    const r = this.outbox.confirm(id);
    if (!r) return;
    const conv = this.ctx.conversation(r.conversation, r.kind);
    const m = conv.$messages.get().find((x) => x.key === id);
    if (m?.status === 'pending') conv.store.update(id, { status: 'sent' });
  }

  private messageOf(r: OutboxRecord): ChatMessage {
    const room = r.kind === 'room';
    const nick = room ? this.ctx.nickIn(r.conversation) : undefined;
    return {
      ...r.fields, key: r.id, conversation: r.conversation, from: room ? `${r.conversation}/${nick}` : this.ctx.ownBare(), nick,
      direction: 'out', body: r.body, timestamp: r.createdAt, originId: r.id, id: r.id,
      status: r.state === 'failed' ? 'failed' : 'pending', error: r.error,
    };
  }
}

function store(el: Element): StoredElement {
  return {
    name: el.name, attrs: { ...el.attrs } as Record<string, string>,
    children: el.children.map((c) => (typeof c === 'string' ? c : store(c as Element))),
  };
}

function revive(s: StoredElement): Element {
  return xml(s.name, s.attrs, ...s.children.map((c) => (typeof c === 'string' ? c : revive(c))));
}
