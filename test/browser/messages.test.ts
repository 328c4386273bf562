import { expect } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import { atom } from 'nanostores';
import { backoffDelay } from '../../src/core/backoff.js';
import { headOf } from '../../src/core/catchup.js';
import { parseChatMessage, unwrapCarbon, type ChatMessage } from '../../src/core/protocol/message.js';
import { createMessageStore, mergeMessages } from '../../src/core/stores/messages.js';

const me = 'alice@x';
const msg = (p: Partial<ChatMessage>): ChatMessage => ({
  key: p.originId ?? p.stanzaId ?? p.id ?? 'k', conversation: 'bob@x', from: 'bob@x', direction: 'in',
  body: 'hi', timestamp: 1000, status: 'received', ...p,
});

describe('mergeMessages', () => {
  it('keeps time order and appends live messages', () => {
    const a = msg({ stanzaId: 's1', timestamp: 1 });
    const b = msg({ stanzaId: 's2', timestamp: 2 });
    const c = msg({ stanzaId: 's0', timestamp: 0 });
    expect(mergeMessages(mergeMessages([], [a, b]), [c]).map((m) => m.stanzaId)).to.deep.equal(['s0', 's1', 's2']);
  });

  it('does not duplicate a live message when its archived copy arrives', () => {
    const live = msg({ stanzaId: 's1', id: 'i1', timestamp: 5 });
    const archived = msg({ stanzaId: 's1', id: 'i1', timestamp: 4 });
    const list = mergeMessages([live], [archived]);
    expect(list).to.have.length(1);
  });

  it('matches our own sent message to its archived copy by origin-id and keeps the best status', () => {
    const sent = msg({ originId: 'o1', id: 'o1', from: me, direction: 'out', status: 'delivered' });
    const archived = msg({ originId: 'o1', id: 'o1', stanzaId: 'sX', from: me, direction: 'out', status: 'sent' });
    const list = mergeMessages([sent], [archived]);
    expect(list).to.have.length(1);
    expect(list[0]).to.include({ status: 'delivered', stanzaId: 'sX' });
  });

  it('does not let another sender collide with our origin-id', () => {
    const ours = msg({ originId: 'o1', from: me, direction: 'out' });
    const theirs = msg({ originId: 'o1', from: 'mallory@x' });
    expect(mergeMessages([ours], [theirs])).to.have.length(2);
  });

  it('returns the same array when nothing changes', () => {
    const list = [msg({ stanzaId: 's1' })];
    expect(mergeMessages(list, [msg({ stanzaId: 's1' })])).to.equal(list);
  });
});

describe('parseChatMessage', () => {
  it('reads body, ids and trusts only our own archive stanza-id', () => {
    const el = xml('message', { from: 'bob@x/phone', to: 'alice@x/web', type: 'chat', id: 'm1' },
      xml('body', {}, '<b>hi</b>'),
      xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id: 'o1' }),
      xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', id: 'forged', by: 'bob@x' }),
      xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', id: 'real', by: 'alice@x' }));
    const m = parseChatMessage(el, { ownBare: me, now: 42 })!;
    expect(m).to.include({ conversation: 'bob@x', from: 'bob@x', direction: 'in', body: '<b>hi</b>', originId: 'o1', stanzaId: 'real', id: 'm1' });
  });

  it('ignores messages without body, groupchat and errors', () => {
    expect(parseChatMessage(xml('message', { from: 'bob@x', type: 'chat' }), { ownBare: me })).to.equal(null);
    expect(parseChatMessage(xml('message', { from: 'r@x/n', type: 'groupchat' }, xml('body', {}, 'x')), { ownBare: me })).to.equal(null);
    expect(parseChatMessage(xml('message', { from: 'bob@x', type: 'error' }, xml('body', {}, 'x')), { ownBare: me })).to.equal(null);
  });

  it('unwraps carbons only from our own account', () => {
    const inner = xml('message', { from: 'alice@x/phone', to: 'bob@x', type: 'chat' }, xml('body', {}, 'from my phone'));
    const wrap = (from: string) => xml('message', { from, to: 'alice@x/web' },
      xml('sent', { xmlns: 'urn:xmpp:carbons:2' }, xml('forwarded', { xmlns: 'urn:xmpp:forward:0' }, inner)));
    const ok = unwrapCarbon(wrap('alice@x'), me)!;
    expect(ok.sent).to.equal(true);
    expect(parseChatMessage(ok.message, { ownBare: me, sentByUs: true })).to.include({ conversation: 'bob@x', direction: 'out' });
    expect(unwrapCarbon(wrap('mallory@x'), me)).to.equal(null);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and jitters', () => {
    expect(backoffDelay(0, () => 0)).to.equal(250);
    expect(backoffDelay(3, () => 1)).to.equal(4000);
    expect(backoffDelay(30, () => 1)).to.equal(30_000);
    expect(backoffDelay(30, () => 0)).to.equal(15_000);
  });
});

describe('mergeMessages with archive pages', () => {
  it('puts an older page in front in archive order even when timestamps tie', () => {
    const page2 = [msg({ stanzaId: 'a', timestamp: 5 }), msg({ stanzaId: 'b', timestamp: 5 })];
    const page1 = [msg({ stanzaId: 'c', timestamp: 5 }), msg({ stanzaId: 'd', timestamp: 5 })];
    const list = mergeMessages(mergeMessages([], page1), page2, 'older');
    expect(list.map((m) => m.stanzaId)).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('still merges duplicates inside an older page', () => {
    const list = mergeMessages([msg({ stanzaId: 'c', timestamp: 5 })], [msg({ stanzaId: 'b', timestamp: 5 }), msg({ stanzaId: 'c', timestamp: 5 })], 'older');
    expect(list.map((m) => m.stanzaId)).to.deep.equal(['b', 'c']);
  });
});

describe('mergeMessages with overlapping batches', () => {
  it('puts new messages of a batch before the known message they precede, whatever their times', () => {
    const known = [msg({ stanzaId: 'c', timestamp: 5 }), msg({ stanzaId: 'd', timestamp: 5 })];
    const batch = [msg({ stanzaId: 'a', timestamp: 5 }), msg({ stanzaId: 'b', timestamp: 5 }), msg({ stanzaId: 'c', timestamp: 5 }), msg({ stanzaId: 'd', timestamp: 5 })];
    expect(mergeMessages(known, batch).map((m) => m.stanzaId)).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('keeps archive items after the live copy of the message before them, whatever their times', () => {
    // Seen live at 5.7 s; the archive stamps whole seconds, so its copy says 5 s, and so does the next.
    const live = [msg({ stanzaId: 'a', timestamp: 5700 })];
    const catchUp = [msg({ stanzaId: 'a', timestamp: 5000 }), msg({ stanzaId: 'b', timestamp: 5000 }), msg({ stanzaId: 'c', timestamp: 6000 })];
    expect(mergeMessages(live, catchUp).map((m) => m.stanzaId)).to.deep.equal(['a', 'b', 'c']);
  });

  it('does not place incoming messages by ours, which sit where they were written', () => {
    // We wrote o1 offline after seeing b1; b2 came live afterwards; o1 reached the server only after
    // b3. A catch-up from b2 then brings b3, our o1 and b4, in the archive's order.
    const o1 = (p: Partial<ChatMessage>) => msg({ originId: 'o1', id: 'o1', from: me, direction: 'out', status: 'sent', timestamp: 1500, ...p });
    const list = [msg({ stanzaId: 'b1', timestamp: 1000 }), o1({}), msg({ stanzaId: 'b2', timestamp: 2500 })];
    const batch = [msg({ stanzaId: 'b2', timestamp: 2500 }), msg({ stanzaId: 'b3', timestamp: 2000 }), o1({ stanzaId: 's-o1', timestamp: 2000 }), msg({ stanzaId: 'b4', timestamp: 2000 })];
    const ids = mergeMessages(list, batch).map((m) => m.stanzaId);
    expect(ids.filter((x) => x?.startsWith('b'))).to.deep.equal(['b1', 'b2', 'b3', 'b4']);
  });

  it('does not place new messages by a resent copy of a known one (same origin-id, another archive id)', () => {
    // b2 reached the server, but its sender could not tell and sent it again after b3: the archive
    // holds it twice, and the catch-up from b3 brings the second copy before b4.
    const b = (n: number, p: Partial<ChatMessage> = {}) => msg({ originId: `b${n}`, stanzaId: `s${n}`, timestamp: 1000 * n, ...p });
    const list = [b(1), b(2), b(3)];
    const batch = [b(3), b(2, { stanzaId: 's2-again', timestamp: 9000 }), b(4, { timestamp: 9000 })];
    expect(mergeMessages(list, batch).map((m) => m.originId)).to.deep.equal(['b1', 'b2', 'b3', 'b4']);
    // …nor before it, when the resend comes after new ones.
    const later = [b(3), b(4, { timestamp: 9000 }), b(5, { timestamp: 9000 }), b(2, { stanzaId: 's2-again', timestamp: 9000 })];
    expect(mergeMessages(list, later).map((m) => m.originId)).to.deep.equal(['b1', 'b2', 'b3', 'b4', 'b5']);
  });

  it('puts a live message last, even when its stamp says a little earlier', () => {
    // A resent message carries the time it was first sent; the stream still delivers in order.
    const list = [msg({ stanzaId: 'a', timestamp: 5000 }), msg({ stanzaId: 'b', timestamp: 5020 })];
    expect(mergeMessages(list, [msg({ stanzaId: 'c', timestamp: 5010 })], 'live').map((m) => m.stanzaId)).to.deep.equal(['a', 'b', 'c']);
  });

  it('places a live message by time after everything at the same time', () => {
    const list = [msg({ stanzaId: 'a', timestamp: 5 }), msg({ stanzaId: 'b', timestamp: 9 })];
    expect(mergeMessages(list, [msg({ stanzaId: 'x', timestamp: 5 })]).map((m) => m.stanzaId)).to.deep.equal(['a', 'x', 'b']);
    expect(mergeMessages(list, [msg({ stanzaId: 'y', timestamp: 10 })]).map((m) => m.stanzaId)).to.deep.equal(['a', 'b', 'y']);
  });

  it('keeps a new message after the known one that precedes it in the batch, even when its archive time is earlier', () => {
    // Our message carries a millisecond time; the archive's copy of the next one only seconds.
    const own = msg({ originId: 'o1', id: 'o1', from: me, direction: 'out', timestamp: 1300, status: 'sent' });
    const batch = [msg({ stanzaId: 's1', timestamp: 1000 }), msg({ originId: 'o1', id: 'o1', stanzaId: 's2', from: me, direction: 'out', timestamp: 1000 }), msg({ stanzaId: 's3', timestamp: 1000 })];
    expect(mergeMessages([own], batch).map((m) => m.stanzaId)).to.deep.equal(['s1', 's2', 's3']);
  });

  it('puts a gap the archive fills right after the message it follows, before later ones of the same second seen live', () => {
    // 3 and 4 were lost with a dropped link; 5 and 6 came live after it came back; the catch-up
    // reads on from 2. Archive times have one-second resolution, so all tie.
    const list = ['s1', 's2', 's5', 's6'].map((id) => msg({ stanzaId: id, timestamp: 7000 }));
    const batch = ['s2', 's3', 's4'].map((id) => msg({ stanzaId: id, timestamp: 7000 }));
    expect(mergeMessages(list, batch).map((m) => m.stanzaId)).to.deep.equal(['s1', 's2', 's3', 's4', 's5', 's6']);
  });

  it('puts a gap before later messages seen live, even when their resend stamps are older', () => {
    // 5 and 6 came live as resends stamped with the second they were first sent; the archive
    // stored 3 and 4 (sent before them) later, when their sender's link came back.
    const list = [msg({ stanzaId: 's1', timestamp: 7000 }), msg({ stanzaId: 's5', timestamp: 3000 }), msg({ stanzaId: 's6', timestamp: 3000 })];
    const batch = ['s1', 's3', 's4'].map((id) => msg({ stanzaId: id, timestamp: 8000 }));
    expect(mergeMessages(list, batch).map((m) => m.stanzaId)).to.deep.equal(['s1', 's3', 's4', 's5', 's6']);
  });

  it('still lets a gap pass our unconfirmed messages that are older', () => {
    const own = msg({ originId: 'o1', id: 'o1', from: me, direction: 'out', timestamp: 7500, status: 'pending' });
    const list = [msg({ stanzaId: 's1', timestamp: 7000 }), own];
    const batch = ['s1', 's2'].map((id) => msg({ stanzaId: id, timestamp: 8000 }));
    expect(mergeMessages(list, batch).map((m) => m.stanzaId ?? m.originId)).to.deep.equal(['s1', 'o1', 's2']);
  });

  it('moves our message to where the room echoed it, after what arrived meanwhile', () => {
    const own = msg({ originId: 'o1', id: 'o1', from: 'r@x/me', direction: 'out', timestamp: 10, status: 'sent' });
    const theirs = msg({ stanzaId: 's1', from: 'r@x/bob', timestamp: 20 });
    const echo = msg({ originId: 'o1', id: 'o1', stanzaId: 's2', from: 'r@x/me', direction: 'out', timestamp: 21 });
    const list = mergeMessages(mergeMessages([own], [theirs]), [echo], 'newest');
    expect(list.map((m) => m.from)).to.deep.equal(['r@x/bob', 'r@x/me']);
    expect(list[1]).to.include({ stanzaId: 's2', status: 'sent' });
    const settled = mergeMessages(list, [echo], 'newest');
    expect(settled).to.equal(list);
  });
});

describe('message store', () => {
  it('fed live messages one at a time, holds what merging them one at a time gives', () => {
    const stream = [
      msg({ stanzaId: 's1', id: 'i1', timestamp: 1 }),
      msg({ stanzaId: 's2', id: 'i2', timestamp: 2 }),
      msg({ stanzaId: 's2', id: 'i2', timestamp: 2, status: 'read' }), // the same one again
      msg({ originId: 'o1', id: 'o1', from: me, direction: 'out', status: 'pending', timestamp: 3 }),
      msg({ originId: 'o1', id: 'o1', stanzaId: 's3', from: me, direction: 'out', status: 'sent', timestamp: 3 }), // its carbon/archive copy
      msg({ stanzaId: 's0', timestamp: 0 }), // late, older than the rest
      msg({ originId: 'o1', from: 'mallory@x', timestamp: 4 }), // another sender's colliding origin-id
      msg({ stanzaId: 's4', timestamp: 4 }),
    ];
    const store = createMessageStore();
    let expected: readonly ChatMessage[] = [];
    for (const m of stream) {
      store.add([m]);
      expected = mergeMessages(expected, [m]);
      expect(store.$messages.get()).to.deep.equal(expected);
    }
    expect(expected.map((m) => m.stanzaId ?? m.originId)).to.deep.equal(['s0', 's1', 's2', 's3', 'o1', 's4']);
  });
});

describe('catch-up page head', () => {
  const conv = (list: ChatMessage[], catchUpAnchor?: string) => ({ $messages: atom<readonly ChatMessage[]>(list), catchUpAnchor });
  const own = (id: string) => msg({ originId: id, id, stanzaId: `s-${id}`, from: me, direction: 'out', status: 'sent' });

  it('is the message the page reads on from', () => {
    expect(headOf(conv([msg({ stanzaId: 'a' }), msg({ stanzaId: 'b' })]), 'a').map((m) => m.stanzaId)).to.deep.equal(['a']);
  });

  it('is the last incoming message read when the previous page ended with a receipt, a marker or one of ours', () => {
    const list = [msg({ stanzaId: 'a' }), own('o1'), msg({ stanzaId: 'b' }), msg({ stanzaId: 'live' })];
    expect(headOf(conv(list, 'b'), 'receipt-id').map((m) => m.stanzaId)).to.deep.equal(['b']);
    expect(headOf(conv(list, 'b'), 's-o1').map((m) => m.stanzaId)).to.deep.equal(['b']);
    expect(headOf(conv(list), 'receipt-id')).to.deep.equal([]);
  });

  it('places the next page after that message, not after ours written earlier', () => {
    // We wrote o1 offline after seeing a; b came in later; the archive got o1 only after b, so
    // the previous page ended with o1, and the next one brings c.
    const list = [msg({ stanzaId: 'a', timestamp: 1000 }), own('o1'), msg({ stanzaId: 'b', timestamp: 3000 })];
    const page = [own('o1'), msg({ stanzaId: 'c', timestamp: 4000 })];
    const merged = mergeMessages(list, [...headOf(conv(list, 'b'), 's-o1'), ...page]);
    expect(merged.map((m) => m.stanzaId)).to.deep.equal(['a', 's-o1', 'b', 'c']);
  });
});
