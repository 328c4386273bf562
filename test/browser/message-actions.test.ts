// Corrections, retractions, moderation, reactions, replies and mentions: parsing and building the
// stanzas, and the pure reducer that applies actions to a message list.
import { expect } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import type { Conversation } from '../../src/core/conversation.js';
import { parseAction } from '../../src/core/message-actions.js';
import type { MessageAction } from '../../src/core/protocol/actions.js';
import { isAction } from '../../src/core/protocol/actions.js';
import { buildCorrection, parseCorrection } from '../../src/core/protocol/correction.js';
import { findNick, mentionQuery, mentionReferences, mentionsMe } from '../../src/core/protocol/mentions.js';
import { parseChatMessage, parseGroupMessage, type ChatMessage } from '../../src/core/protocol/message.js';
import { buildReactions, isEmoji, parseReactions } from '../../src/core/protocol/reactions.js';
import { readReply, replyPayload } from '../../src/core/protocol/replies.js';
import { buildModeration, buildRetraction, parseRetraction } from '../../src/core/protocol/retraction.js';
import { applyAction, applyActions, countReactions } from '../../src/core/stores/apply-action.js';

const me = 'alice@x';
const bob = 'bob@x';
const msg = (p: Partial<ChatMessage>): ChatMessage => ({
  key: p.originId ?? p.stanzaId ?? p.id ?? 'k', conversation: bob, from: bob, direction: 'in',
  body: 'hi', timestamp: 1000, status: 'received', ...p,
});
const act = <K extends MessageAction['kind']>(kind: K, p: Partial<Extract<MessageAction, { kind: K }>>) =>
  ({ kind, ref: 'o1', from: bob, room: false, t: 2000, ...p }) as Extract<MessageAction, { kind: K }>;

describe('protocol: recognising actions', () => {
  it('tells actions from messages, and never takes an error bounce for one', () => {
    const correction = buildCorrection(bob, 'chat', 'c1', 'o1', 'fixed');
    expect(isAction(correction)).to.equal(true);
    expect(isAction(buildRetraction(bob, 'chat', 'r1', 'o1'))).to.equal(true);
    expect(isAction(buildReactions(bob, 'chat', 'x1', 'o1', ['👍']))).to.equal(true);
    expect(isAction(xml('message', { type: 'chat' }, xml('body', {}, 'hello')))).to.equal(false);
    const bounce = xml('message', { type: 'error', from: bob }, xml('reactions', { xmlns: 'urn:xmpp:reactions:0', id: 'o1' }));
    expect(isAction(bounce)).to.equal(false);
  });
});

describe('protocol: corrections (XEP-0308)', () => {
  it('round-trips, and a corrected reply loses its quote again', () => {
    expect(parseCorrection(buildCorrection(bob, 'chat', 'c1', 'o1', 'fixed'))).to.deep.equal({ ref: 'o1', body: 'fixed' });
    const r = replyPayload({ id: 's1', to: bob, text: 'original' });
    expect(parseCorrection(buildCorrection(bob, 'chat', 'c2', 'o1', 'answer', r.prefix, r.children))).to.deep.equal({ ref: 'o1', body: 'answer' });
    expect(parseCorrection(xml('message', {}, xml('replace', { xmlns: 'urn:xmpp:message-correct:0', id: 'o1' })))).to.equal(null);
  });
});

describe('protocol: retraction and moderation (XEP-0424/0425)', () => {
  it('reads the current and the fastening forms', () => {
    expect(parseRetraction(buildRetraction(bob, 'chat', 'r1', 'o1'))).to.deep.equal({ ref: 'o1', moderated: undefined });
    const v1 = xml('message', { type: 'groupchat', from: 'r@c' }, xml('retract', { xmlns: 'urn:xmpp:message-retract:1', id: 's9' },
      xml('moderated', { xmlns: 'urn:xmpp:message-moderate:1', by: 'r@c/mod' }), xml('reason', {}, 'spam')));
    expect(parseRetraction(v1)).to.deep.equal({ ref: 's9', moderated: { by: 'r@c/mod', reason: 'spam' } });
    // Prosody 0.12's mod_muc_moderation announcement.
    const v0 = xml('message', { type: 'groupchat', from: 'r@c' }, xml('apply-to', { xmlns: 'urn:xmpp:fasten:0', id: 's8' },
      xml('moderated', { xmlns: 'urn:xmpp:message-moderate:0', by: 'r@c/mod' }, xml('retract', { xmlns: 'urn:xmpp:message-retract:0' }), xml('reason', {}, 'rude'))));
    expect(parseRetraction(v0)).to.deep.equal({ ref: 's8', moderated: { by: 'r@c/mod', reason: 'rude' } });
    const old = xml('message', {}, xml('apply-to', { xmlns: 'urn:xmpp:fasten:0', id: 'o2' }, xml('retract', { xmlns: 'urn:xmpp:message-retract:0' })));
    expect(parseRetraction(old)).to.deep.equal({ ref: 'o2' });
  });

  it('builds moderation requests in both versions', () => {
    const v1 = buildModeration('r@c', 's1', 1, 'spam');
    expect(v1.getChild('moderate', 'urn:xmpp:message-moderate:1')?.attrs.id).to.equal('s1');
    const v0 = buildModeration('r@c', 's1', 0);
    expect(v0.getChild('apply-to', 'urn:xmpp:fasten:0')?.getChild('moderate', 'urn:xmpp:message-moderate:0')?.getChild('retract')).to.not.equal(undefined);
  });

  it('turns archived tombstones into deleted messages, but ignores live ones', () => {
    const tomb = xml('message', { type: 'groupchat', from: 'r@c/bob', id: 'm1' },
      xml('moderated', { xmlns: 'urn:xmpp:message-moderate:0', by: 'r@c/mod' }, xml('retracted', { xmlns: 'urn:xmpp:message-retract:0' }), xml('reason', {}, 'spam')));
    const archived = parseGroupMessage(tomb, { archived: { stanzaId: 's1', timestamp: 5, by: 'r@c' } })!;
    expect(archived).to.include({ body: '', stanzaId: 's1' });
    expect(archived.retracted).to.deep.equal({ moderated: true, by: 'r@c/mod', reason: 'spam' });
    expect(parseGroupMessage(tomb, {})).to.equal(null);
  });
});

describe('protocol: reactions (XEP-0444)', () => {
  it('keeps single emoji only, without duplicates, and at most 20', () => {
    expect(['👍', '❤️', '👨‍👩‍👧‍👦', '🇩🇪', '1️⃣'].every(isEmoji)).to.equal(true);
    expect(['', 'a', '👍👍', '<script>', '👍 ', 'x'.repeat(40)].some(isEmoji)).to.equal(false);
    const many = xml('message', {}, xml('reactions', { xmlns: 'urn:xmpp:reactions:0', id: 'o1' },
      ...['👍', '👍', '<b>', '😀', ...Array.from({ length: 40 }, (_, i) => String.fromCodePoint(0x1f600 + i))].map((e) => xml('reaction', {}, e))));
    const r = parseReactions(many)!;
    expect(r.emojis.slice(0, 2)).to.deep.equal(['👍', '😀']);
    expect(r.emojis).to.have.length(20);
    expect(parseReactions(buildReactions(bob, 'chat', 'x', 'o1', []))).to.deep.equal({ ref: 'o1', emojis: [] });
  });
});

describe('protocol: replies (XEP-0461)', () => {
  it('cuts the fallback quote, counting code points', () => {
    const p = replyPayload({ id: 'o1', to: bob, text: '😀 we should\nbake a cake' });
    expect(p.prefix).to.equal('> 😀 we should\n> bake a cake\n');
    const m = xml('message', { from: bob, type: 'chat' }, xml('body', {}, `${p.prefix}Great idea!`), ...p.children);
    const parsed = parseChatMessage(m, { ownBare: me })!;
    expect(parsed.body).to.equal('Great idea!');
    expect(parsed.reply).to.deep.equal({ id: 'o1', to: bob, quote: '😀 we should\nbake a cake' });
  });

  it('ignores a fallback range that does not fit the body', () => {
    for (const [start, end] of [['0', '999'], ['5', '2'], ['-1', '3'], ['x', '3']]) {
      const m = xml('message', {}, xml('body', {}, 'short'), xml('reply', { xmlns: 'urn:xmpp:reply:0', id: 'o1' }),
        xml('fallback', { xmlns: 'urn:xmpp:fallback:0', for: 'urn:xmpp:reply:0' }, xml('body', { start, end })));
      expect(readReply(m, 'short')).to.deep.equal({ body: 'short', reply: { id: 'o1', to: undefined } });
    }
  });
});

describe('protocol: mentions', () => {
  it('finds nicks as whole words, builds references and knows when it is us', () => {
    expect(findNick('hi @Bob, and bobby', 'bob').map((x) => x.index)).to.deep.equal([3]);
    const refs = mentionReferences('😀 @bob hi', 'r@c', ['bob', 'carol']);
    expect(refs.map((r) => [r.attrs.begin, r.attrs.end, r.attrs.uri])).to.deep.equal([['2', '6', 'xmpp:r@c/bob']]);
    expect(mentionsMe({ body: 'ping alice!', direction: 'in' }, 'r@c', 'alice', me)).to.equal(true);
    expect(mentionsMe({ body: 'palice', direction: 'in' }, 'r@c', 'alice', me)).to.equal(false);
    expect(mentionsMe({ body: 'x', mentions: ['xmpp:r@c/alice'], direction: 'in' }, 'r@c', 'alice', me)).to.equal(true);
    expect(mentionQuery('hello @ca')).to.deep.equal({ start: 6, prefix: 'ca' });
    expect(mentionQuery('mail a@ca')).to.equal(null);
  });
});

describe('incoming actions: who sent them, and what they may be', () => {
  const chat = { kind: 'chat', jid: bob } as Conversation;
  const room = { kind: 'room', jid: 'r@c' } as Conversation;
  const retract = (from: string, type = 'chat') => xml('message', { from, type }, xml('retract', { xmlns: 'urn:xmpp:message-retract:1', id: 'o1' }));
  const moderation = (from: string) => xml('message', { from, type: 'groupchat' }, xml('retract', { xmlns: 'urn:xmpp:message-retract:1', id: 's1' },
    xml('moderated', { xmlns: 'urn:xmpp:message-moderate:1', by: 'r@c/mod' })));

  it('1:1: the peer, or us when it is a carbon of ours', () => {
    expect(parseAction(retract('bob@x/phone'), chat, me, {})).to.include({ kind: 'retract', from: bob, ref: 'o1', room: false });
    expect(parseAction(retract('alice@x/tablet'), chat, me, { sent: true })).to.include({ from: me });
    expect(parseAction(retract('bob@x'), chat, me, { archived: { timestamp: 42 } })).to.include({ t: 42 });
  });

  it('rooms: the occupant; moderation only from the room itself', () => {
    expect(parseAction(retract('r@c/bob', 'groupchat'), room, me, {})).to.include({ kind: 'retract', from: 'r@c/bob', room: true });
    expect(parseAction(moderation('r@c'), room, me, {})).to.include({ kind: 'moderate', ref: 's1', by: 'mod' });
    // An occupant forging a moderation is at most retracting their own message.
    expect(parseAction(moderation('r@c/eve'), room, me, {})).to.include({ kind: 'retract', from: 'r@c/eve' });
    expect(parseAction(retract('other@c/bob', 'groupchat'), room, me, {})).to.equal(null);
    const correction = xml('message', { from: 'r@c', type: 'groupchat' }, xml('body', {}, 'x'), xml('replace', { xmlns: 'urn:xmpp:message-correct:0', id: 'o1' }));
    expect(parseAction(correction, room, me, {})).to.equal(null);
  });

  it('reactions are keyed by bare JID in 1:1 and by nick in rooms', () => {
    const react = (from: string, type: string) => xml('message', { from, type }, xml('reactions', { xmlns: 'urn:xmpp:reactions:0', id: 'o1' }, xml('reaction', {}, '👍')));
    expect(parseAction(react('bob@x/phone', 'chat'), chat, me, {})).to.include({ reactor: bob });
    expect(parseAction(react('r@c/bob', 'groupchat'), room, me, {})).to.include({ reactor: 'bob' });
  });
});

describe('reducer: applying actions', () => {
  it('applies a correction from the author and marks it edited', () => {
    const list = [msg({ originId: 'o1', id: 'o1' })];
    const out = applyAction(list, act('correct', { body: 'fixed' }))!;
    expect(out[0]).to.include({ body: 'fixed', edited: 2000 });
  });

  it('drops a correction or retraction of someone else\'s message', () => {
    const list = [msg({ originId: 'o1', id: 'o1', from: me, direction: 'out' })];
    expect(applyAction(list, act('correct', { body: 'pwned' }))).to.equal(list);
    expect(applyAction(list, act('retract', {}))).to.equal(list);
  });

  it('keeps an action for a message that is not loaded yet', () => {
    const { list, pending } = applyActions([], [act('correct', { body: 'later' })]);
    expect(list).to.deep.equal([]);
    expect(pending).to.have.length(1);
    expect(applyActions([msg({ originId: 'o1' })], pending).list[0]!.body).to.equal('later');
  });

  it('lets the newest correction win whatever order they arrive in', () => {
    const list = [msg({ originId: 'o1' })];
    const late = applyActions(list, [act('correct', { body: 'second', t: 3000 }), act('correct', { body: 'first', t: 2000 })]).list;
    expect(late[0]!.body).to.equal('second');
  });

  it('retraction empties the message, and nothing applies after it', () => {
    const list = [msg({ originId: 'o1', reactions: [{ by: me, emojis: ['👍'], t: 1 }] })];
    const gone = applyAction(list, act('retract', {}))!;
    expect(gone[0]).to.include({ body: '' });
    expect(gone[0]!.retracted).to.deep.equal({});
    expect(gone[0]!.reactions).to.equal(undefined);
    expect(applyAction(gone, act('correct', { body: 'back', t: 9000 }))).to.equal(gone);
  });

  it('in rooms matches by the room stanza-id; moderation needs it and ignores the author', () => {
    const list = [msg({ stanzaId: 's1', originId: 'o1', from: 'r@c/bob', conversation: 'r@c' })];
    const mod = applyAction(list, { kind: 'moderate', ref: 's1', from: 'r@c', room: true, t: 5, by: 'mod', reason: 'spam' })!;
    expect(mod[0]!.retracted).to.deep.equal({ moderated: true, by: 'mod', reason: 'spam' });
    expect(applyAction(list, { kind: 'moderate', ref: 'o1', from: 'r@c', room: true, t: 5 })).to.equal(null);
    // The author may name their own message by origin-id; an impostor with another nick may not.
    expect(applyAction(list, act('correct', { ref: 'o1', room: true, from: 'r@c/bob', body: 'ok' }))![0]!.body).to.equal('ok');
    expect(applyAction(list, act('correct', { ref: 's1', room: true, from: 'r@c/eve', body: 'no' }))).to.equal(list);
    // Different occupant ids mean a different person behind the same nick.
    const withId = [{ ...list[0]!, occupantId: 'A' }];
    expect(applyAction(withId, act('retract', { ref: 's1', room: true, from: 'r@c/bob', occupantId: 'B' }))).to.equal(withId);
  });

  it('reactions: a new set replaces the old, an empty set removes, a stale one loses', () => {
    let list: readonly ChatMessage[] = [msg({ originId: 'o1' })];
    list = applyAction(list, act('react', { reactor: me, emojis: ['👍', '😂'], t: 10 }))!;
    list = applyAction(list, act('react', { reactor: bob, emojis: ['👍'], t: 11 }))!;
    expect(countReactions(list[0]!.reactions, me)).to.deep.equal([
      { emoji: '👍', count: 2, by: [me, bob], mine: true }, { emoji: '😂', count: 1, by: [me], mine: true },
    ]);
    expect(applyAction(list, act('react', { reactor: me, emojis: [], t: 5 }))).to.equal(list);
    list = applyAction(list, act('react', { reactor: me, emojis: [], t: 12 }))!;
    expect(countReactions(list[0]!.reactions, me)).to.deep.equal([{ emoji: '👍', count: 1, by: [bob], mine: false }]);
  });
});
