// Corrections, retractions, moderation, reactions and replies over a session. Incoming actions
// (live, carbons, archive) are parsed and applied to their conversation; an action whose message is
// not loaded yet waits until it is (history pages arrive newest first). Our own actions show at once
// and go out when the connection allows. Loaded on first use, so first paint stays small.
import type { Conversation } from './conversation.js';
import type { MessageAction } from './protocol/actions.js';
import type { ReportReason } from './protocol/blocking.js';
import { buildCorrection, parseCorrection } from './protocol/correction.js';
import { bare, type ChatMessage } from './protocol/message.js';
import { mentionReferences } from './protocol/mentions.js';
import { buildReactions, parseReactions } from './protocol/reactions.js';
import { replyPayload } from './protocol/replies.js';
import { buildModeration, buildRetraction, NS_MODERATE, NS_MODERATE_0, parseRetraction } from './protocol/retraction.js';
import type { OutgoingExtras, Session } from './session.js';
import { applyActions, matchesRef } from './stores/apply-action.js';
import { NS, xml, type Element } from './xmpp.js';

/** A conversation keeps at most this many actions waiting for their message (hostile peers send junk). */
const MAX_PENDING = 300;

const waiting = new WeakMap<Conversation, MessageAction[]>();

/** Where an incoming action came from. */
export interface ActionSource {
  /** A carbon of something we sent from another device. */
  sent?: boolean;
  archived?: { timestamp: number };
}

/** Parses one incoming action and applies it (or keeps it until its message arrives). */
export function receiveAction(session: Session, conv: Conversation, m: Element, src: ActionSource = {}): void {
  const a = parseAction(m, conv, session.connection.bare, src);
  if (a) apply(conv, [a]);
}

export function parseAction(m: Element, conv: Conversation, ownBare: string, src: ActionSource): MessageAction | null {
  const room = conv.kind === 'room';
  const fromAttr = String(m.attrs.from ?? '');
  const slash = fromAttr.indexOf('/');
  let from: string;
  if (room) {
    if (bare(fromAttr) !== conv.jid) return null;
    from = slash < 0 ? conv.jid : `${conv.jid}/${fromAttr.slice(slash + 1)}`;
  } else {
    from = src.sent || !fromAttr ? ownBare : bare(fromAttr);
  }
  const delay = m.getChild('delay', NS.delay)?.attrs.stamp as string | undefined;
  const stamp = src.archived?.timestamp ?? (delay ? Date.parse(delay) : NaN);
  const base = {
    from, room, t: Number.isFinite(stamp) ? stamp : Date.now(),
    occupantId: room ? m.getChild('occupant-id', 'urn:xmpp:occupant-id:0')?.attrs.id as string | undefined : undefined,
  };
  const retraction = parseRetraction(m);
  if (retraction) {
    // Moderation is only real when the room itself says so (XEP-0425 §7); from an occupant it is at
    // most that occupant retracting their own message.
    if (retraction.moderated && room && from === conv.jid) {
      const by = retraction.moderated.by;
      return { kind: 'moderate', ...base, ref: retraction.ref, by: by?.includes('/') ? by.slice(by.indexOf('/') + 1) : by, reason: retraction.moderated.reason };
    }
    return room && from === conv.jid ? null : { kind: 'retract', ...base, ref: retraction.ref };
  }
  if (room && from === conv.jid) return null; // Nothing else comes from the room itself.
  const correction = parseCorrection(m);
  if (correction) return { kind: 'correct', ...base, ...correction };
  const reactions = parseReactions(m);
  if (reactions) return { kind: 'react', ...base, ref: reactions.ref, emojis: reactions.emojis, reactor: room ? from.slice(conv.jid.length + 1) : from };
  return null;
}

function apply(conv: Conversation, actions: MessageAction[]) {
  let queue = waiting.get(conv);
  if (!queue) {
    queue = [];
    waiting.set(conv, queue);
    // Messages that arrive later (an older history page, a delayed original) may be what waits.
    conv.$messages.listen(() => {
      const q = waiting.get(conv)!;
      if (q.length) apply(conv, []);
    });
  }
  const { list, pending } = applyActions(conv.$messages.get(), [...queue, ...actions]);
  waiting.set(conv, pending.slice(-MAX_PENDING));
  if (list !== conv.$messages.get()) conv.store.replace(list);
}

// ---- our own actions ----

const outbox = new WeakMap<Session, Element[]>();

/** Sends now, or when the connection is back (after the session's own queue, so order holds). */
function send(session: Session, stanza: Element) {
  let q = outbox.get(session);
  if (!q) {
    q = [];
    outbox.set(session, q);
    session.connection.onOnline(async () => {
      const items = outbox.get(session)!;
      while (items.length && session.connection.online) {
        await session.connection.send(items[0]!);
        items.shift();
      }
    });
  }
  if (session.connection.online && q.length === 0) void session.connection.send(stanza).catch(() => q.push(stanza));
  else q.push(stanza);
}

const typeOf = (conv: Conversation) => (conv.kind === 'room' ? 'groupchat' : 'chat');
const newId = () => crypto.randomUUID();

/** The id others use for message `m`: the room's stanza-id in rooms, our origin-id elsewhere. */
export function refOf(conv: Conversation, m: ChatMessage): string | undefined {
  return conv.kind === 'room' ? m.stanzaId : (m.originId ?? m.id);
}

/** Our key among reactors: bare JID in 1:1, nick in rooms. */
export function ownReactor(session: Session, conv: Conversation): string {
  return conv.kind === 'room' ? (session.rooms.nickIn(conv.jid) ?? '') : session.connection.bare;
}

/** Whether we may correct `m`: our newest message (XEP-0308 corrects the last one), still there. */
export function canEdit(conv: Conversation, m: ChatMessage): boolean {
  // A file's message is its URL: editing that text would leave the file behind.
  if (m.direction !== 'out' || m.retracted || m.attachment || !(m.originId ?? m.id)) return false;
  const list = conv.$messages.get();
  for (let i = list.length - 1; i >= 0; i--) {
    const x = list[i]!;
    if (x.direction === 'out' && !x.system && !x.retracted) return x.key === m.key;
  }
  return false;
}

/** Whether we may delete `m`: our own, or anyone's in a room where we are a moderator. */
export function canDelete(session: Session, conv: Conversation, m: ChatMessage): boolean {
  if (m.retracted || m.system) return false;
  if (m.direction === 'out') return !!(conv.kind === 'room' ? m.stanzaId ?? m.originId : m.originId ?? m.id);
  return conv.kind === 'room' && !!m.stanzaId && isModerator(session, conv);
}

/** Whether `m` can be reported: someone else's message with the id our archive or the room gave it. */
export function canReport(m: ChatMessage): boolean {
  return m.direction === 'in' && !m.system && !m.retracted && !!m.stanzaId;
}

/** Who wrote `m`, for blocking: the sender's address; in rooms the occupant's real one when the room shows it. */
export function authorOf(session: Session, conv: Conversation, m: ChatMessage): string {
  if (conv.kind !== 'room') return bare(m.from);
  const real = session.rooms.$rooms.get()[conv.jid]?.occupants[m.from.slice(conv.jid.length + 1)]?.jid;
  return real ? bare(real) : m.from;
}

/**
 * Reports `m` to the server's admins (XEP-0377, naming it by the stanza-id that our archive, or the
 * room, assigned) and blocks its author, as the report travels inside the block request.
 */
export function reportMessage(session: Session, conv: Conversation, m: ChatMessage, reason: ReportReason, text?: string): Promise<void> {
  const by = conv.kind === 'room' ? conv.jid : session.ownBare();
  return session.blocking.block(authorOf(session, conv, m), { reason, ...(text ? { text } : {}), messages: [{ id: m.stanzaId!, by }] });
}

export function isModerator(session: Session, conv: Conversation): boolean {
  const r = session.rooms.$rooms.get()[conv.jid];
  return r?.occupants[r.nick]?.role === 'moderator';
}

/** The common part of an action of ours on our message `m`. */
const own = (conv: Conversation, m: ChatMessage) => ({ from: m.from, room: conv.kind === 'room', t: Date.now() });

/** Sends a correction of our message `m` (XEP-0308) and shows it at once. */
export function correct(session: Session, conv: Conversation, m: ChatMessage, text: string) {
  const ref = m.originId ?? m.id;
  if (!canEdit(conv, m) || !ref || !text.trim()) return;
  const reply = m.reply && replyOf(m.reply);
  send(session, buildCorrection(conv.jid, typeOf(conv), newId(), ref, text, reply?.prefix, reply?.children));
  apply(conv, [{ kind: 'correct', ...own(conv, m), ref, body: text }]);
}

const replyOf = (r: NonNullable<ChatMessage['reply']>) => (r.to ? replyPayload({ id: r.id, to: r.to, text: r.quote ?? '' }) : undefined);

/** Retracts our message `m` for everyone (XEP-0424). */
export function retract(session: Session, conv: Conversation, m: ChatMessage) {
  const ref = conv.kind === 'room' ? (m.stanzaId ?? m.originId) : (m.originId ?? m.id);
  if (m.direction !== 'out' || !ref) return;
  send(session, buildRetraction(conv.jid, typeOf(conv), newId(), ref));
  apply(conv, [{ kind: 'retract', ...own(conv, m), ref }]);
}

const moderationVersion = new WeakMap<Session, Map<string, 0 | 1>>();

/**
 * Asks the room to retract someone's message `m` (XEP-0425), in the version the room supports.
 * The room announces it to everyone, us included; that announcement changes the message here.
 * Rejects with a message fit to show when the room refuses.
 */
export async function moderate(session: Session, conv: Conversation, m: ChatMessage, reason?: string): Promise<void> {
  if (!m.stanzaId) throw new Error('This message cannot be deleted: the room gave it no id.');
  let versions = moderationVersion.get(session);
  if (!versions) moderationVersion.set(session, (versions = new Map()));
  let version = versions.get(conv.jid);
  if (version === undefined) {
    const info = await session.connection.request(xml('iq', { type: 'get', to: conv.jid }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    const features = new Set(info.getChild('query')?.getChildren('feature').map((f) => String(f.attrs.var)));
    if (features.has(NS_MODERATE)) version = 1;
    else if (features.has(NS_MODERATE_0)) version = 0;
    else throw new Error('This room does not support deleting messages of others.');
    versions.set(conv.jid, version);
  }
  try {
    await session.connection.request(buildModeration(conv.jid, m.stanzaId, version, reason || undefined));
  } catch (e) {
    const text = (e as { text?: string; condition?: string }).text;
    throw new Error(text || ((e as { condition?: string }).condition === 'forbidden' ? 'Only moderators can delete messages of others.' : 'The room could not delete the message.'));
  }
}

/** Adds or removes our `emoji` reaction on `m` (XEP-0444: the full set is sent each time). */
export function toggleReaction(session: Session, conv: Conversation, m: ChatMessage, emoji: string) {
  const ref = refOf(conv, m);
  if (!ref || m.retracted) return;
  const me = ownReactor(session, conv);
  const mine = m.reactions?.find((r) => r.by === me)?.emojis ?? [];
  const emojis = mine.includes(emoji) ? mine.filter((e) => e !== emoji) : [...mine, emoji];
  send(session, buildReactions(conv.jid, typeOf(conv), newId(), ref, emojis));
  apply(conv, [{ kind: 'react', ref, from: me, reactor: me, emojis, room: conv.kind === 'room', t: Date.now() }]);
}

/** Sends `text`, answering `replyTo` (XEP-0461) and mentioning room occupants by `@nick` (XEP-0372). */
export function sendText(session: Session, conv: Conversation, text: string, replyTo?: ChatMessage): ChatMessage {
  const extras: OutgoingExtras = { payload: [] };
  const ref = replyTo && refOf(conv, replyTo);
  if (replyTo && ref) {
    const to = conv.kind === 'room' ? replyTo.from : bare(replyTo.from);
    const p = replyPayload({ id: ref, to, text: replyTo.body });
    extras.prefix = p.prefix;
    extras.payload!.push(...p.children);
    extras.fields = { reply: { id: ref, to, quote: replyTo.body.slice(0, 200) } };
  }
  if (conv.kind === 'room') {
    const room = session.rooms.$rooms.get()[conv.jid];
    const nicks = Object.keys(room?.occupants ?? {}).filter((n) => n !== room?.nick);
    // Offsets count from the start of the body as sent, after any reply quote.
    const shift = extras.prefix ? [...extras.prefix].length : 0;
    for (const r of mentionReferences(text, conv.jid, nicks)) {
      r.attrs.begin = String(Number(r.attrs.begin) + shift);
      r.attrs.end = String(Number(r.attrs.end) + shift);
      extras.payload!.push(r);
    }
  }
  return session.sendMessage(conv.jid, text, extras);
}

const refIndexes = new WeakMap<readonly ChatMessage[], Map<string, ChatMessage>>();

/** The message a reply refers to, if it is loaded. Indexed once per version of the list: every visible reply asks. */
export function findReplied(conv: Conversation, m: ChatMessage): ChatMessage | undefined {
  const id = m.reply?.id;
  if (!id) return undefined;
  const list = conv.$messages.get();
  let index = refIndexes.get(list);
  if (!index) {
    index = new Map();
    for (const x of list) {
      for (const ref of conv.kind === 'room' ? [x.stanzaId] : [x.originId, x.id]) {
        if (ref && !index.has(ref) && matchesRef(x, ref, conv.kind === 'room')) index.set(ref, x);
      }
    }
    refIndexes.set(list, index);
  }
  return index.get(id);
}
