// Incoming messages: 1:1 (with carbons from our other devices), rooms, receipts, markers, typing
// and bounces of our own. Each becomes a store update; nothing here renders.
import type { Connection } from './connection.js';
import type { Contacts } from './contacts.js';
import type { Conversation, ConversationKind } from './conversation.js';
import type { ActionSource } from './message-actions.js';
import { isAction } from './protocol/actions.js';
import { parseChatState, parseDisplayed } from './protocol/chat-states.js';
import { bare, parseChatMessage, parseGroupMessage, unwrapCarbon, type ChatMessage } from './protocol/message.js';
import { readNick } from './protocol/presence.js';
import { receiptFor, receivedId } from './protocol/receipts.js';
import type { Rooms } from './rooms.js';
import type { Sender } from './sending.js';
import { NS, type Element } from './xmpp.js';

export interface ReceiverContext {
  readonly connection: Connection;
  readonly contacts: Contacts;
  readonly rooms: Rooms;
  /** Not there until its chunk loads; nothing of ours can bounce before. */
  readonly sender?: Sender;
  conversation(jid: string, kind?: ConversationKind): Conversation;
  ownBare(): string;
  /** A message to show (new or a copy of one shown: the store merges copies). */
  deliver(conv: Conversation, msg: ChatMessage): void;
  /** Our other device read this conversation. */
  readElsewhere(conv: Conversation): void;
  /** A correction, retraction or reaction (applied in arrival order). */
  takeAction(conv: Conversation, m: Element, src: ActionSource): void;
}

/** Handles a message stanza; false when it is not ours to handle. */
export function receiveMessage(ctx: ReceiverContext, s: Element): boolean {
  if (s.attrs.type === 'error') return ctx.sender?.onBounce(s) ?? false;
  if (s.attrs.type === 'groupchat') return receiveGroupMessage(ctx, s);
  const own = ctx.ownBare();
  const unwrapped = unwrapCarbon(s, own);
  if (!unwrapped) return true;
  const { message, sent } = unwrapped;
  const peer = bare(sent ? String(message.attrs.to ?? '') : String(message.attrs.from ?? ''));
  if (!peer || ctx.rooms.$rooms.get()[peer]) return false;
  const receipt = receiptFor(message, crypto.randomUUID());
  if (receipt && !sent) void ctx.connection.send(receipt).catch(() => {});
  const conv = ctx.conversation(peer, 'chat');
  if (!sent) ctx.contacts.learnNick(peer, readNick(message));
  const confirmed = receivedId(message);
  if (confirmed) {
    const target = conv.$messages.get().find((m) => m.direction === 'out' && m.id === confirmed);
    ctx.sender?.arrived(confirmed);
    if (target && target.status !== 'read') conv.store.update(target.key, { status: 'delivered' });
    return true;
  }
  const displayed = parseDisplayed(message);
  if (displayed) {
    if (sent) ctx.readElsewhere(conv);
    else markReadUpTo(conv, displayed);
    return true;
  }
  if (isAction(message)) {
    ctx.takeAction(conv, message, { sent });
    return true;
  }
  const state = parseChatState(message);
  const msg = parseChatMessage(message, { ownBare: own, sentByUs: sent || undefined });
  if (!sent && state) conv.setTyping(ctx.contacts.name(peer), state === 'composing');
  if (!msg) return state !== null;
  ctx.deliver(conv, msg);
  return true;
}

function receiveGroupMessage(ctx: ReceiverContext, s: Element): boolean {
  const room = bare(String(s.attrs.from ?? ''));
  if (!ctx.rooms.$rooms.get()[room]) return false;
  const conv = ctx.conversation(room, 'room');
  const nick = String(s.attrs.from).slice(room.length + 1);
  const own = ctx.rooms.nickIn(room);
  const state = parseChatState(s);
  if (state && nick !== own) conv.setTyping(nick, state === 'composing');
  if (isAction(s)) {
    ctx.takeAction(conv, s, {});
    return true;
  }
  const msg = parseGroupMessage(s, { ownNick: own });
  if (!msg) return state !== null || s.getChild('subject') !== undefined;
  if (s.getChild('delay', NS.delay) && !msg.stanzaId) return true; // Join history; we use the archive.
  ctx.deliver(conv, msg);
  return true;
}

function markReadUpTo(conv: Conversation, id: string) {
  const list = conv.$messages.get();
  const idx = list.findIndex((m) => m.direction === 'out' && m.id === id);
  if (idx < 0) return;
  // A marker means everything up to that message was read.
  conv.store.patchWhere((m, i) => i <= idx && m.direction === 'out' && (m.status === 'sent' || m.status === 'delivered'), { status: 'read' });
}
