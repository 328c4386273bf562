// The outbox against the browser's real IndexedDB, and bounce parsing.
import { expect } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import { Outbox } from '../../src/core/outbox.js';
import { dropAccountDb, openAccountDb } from '../../src/core/persist/db.js';
import { parseBounce } from '../../src/core/protocol/bounce.js';
import type { ChatMessage } from '../../src/core/protocol/message.js';
import { Sender, type SenderContext } from '../../src/core/sending.js';
import { createMessageStore } from '../../src/core/stores/messages.js';
import { unique } from '../support/env.js';

const rec = (id: string, body = id) => ({ id, conversation: 'bob@x', kind: 'chat' as const, body, createdAt: Date.now() });

describe('outbox', () => {
  it('keeps order and state across pages; what a page may have sent comes back uncertain', async () => {
    const account = unique('outbox');
    const db1 = await openAccountDb(account);
    const first = new Outbox(Promise.resolve(db1));
    for (const id of ['m1', 'm2', 'm3', 'm4']) first.add(rec(id));
    first.sending('m1');
    first.sending('m2');
    first.confirm('m1'); // the server acknowledged it
    first.fail(rec('m3'), 'Not sent: no such address or room');
    expect(first.ready().map((r) => r.id)).to.deep.equal(['m4']); // m2 in flight, m3 failed
    first.lost('m2'); // the stream died before its ack
    expect(first.isUncertain('m2')).to.equal(true);
    await db1.transaction('outbox').done; // let the writes land
    db1.close();

    // The next page: same database, nothing in memory.
    const db2 = await openAccountDb(account);
    const next = new Outbox(Promise.resolve(db2));
    const loaded = await next.load();
    expect(loaded.map((r) => [r.id, r.state])).to.deep.equal([['m2', 'pending'], ['m3', 'failed'], ['m4', 'pending']]);
    expect(loaded.find((r) => r.id === 'm3')?.error).to.equal('Not sent: no such address or room');
    // Anything pending may have gone out from the page before: the archive must say first.
    expect(next.isUncertain('m2') && next.isUncertain('m4')).to.equal(true);
    next.notArrived('m2');
    next.notArrived('m4');
    next.retry('m3');
    expect(next.ready().map((r) => r.id)).to.deep.equal(['m2', 'm3', 'm4']);
    next.add(rec('m5'));
    expect(next.all().map((r) => r.id)).to.deep.equal(['m2', 'm3', 'm4', 'm5']);
    db2.close();
    await dropAccountDb(account);
  });
});

describe('parseBounce', () => {
  it('says which of our messages bounced and why, in words', () => {
    const err = (cond: string) => xml('message', { type: 'error', id: 'o1', from: 'Bob@x/phone' },
      xml('body', {}, 'hi'), xml('error', { type: 'cancel' }, xml(cond, { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }), xml('text', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }, 'whatever')));
    expect(parseBounce(err('service-unavailable'))).to.deep.equal({ id: 'o1', from: 'bob@x', reason: 'the recipient does not accept it' });
    expect(parseBounce(err('item-not-found'))?.reason).to.equal('no such address or room');
    expect(parseBounce(err('policy-violation'))?.reason).to.equal('policy violation');
    expect(parseBounce(xml('message', { type: 'chat', id: 'o1' }, xml('body', {}, 'hi')))).to.equal(null);
  });
});

describe('sender: checking whether uncertain messages arrived', () => {
  it('reads the archive from the newest incoming message known when the oldest uncertain one was written', () => {
    const store = createMessageStore();
    const conv = { jid: 'bob@x', kind: 'chat', store, $messages: store.$messages, catchUpFrom: undefined };
    const ctx = { conversation: () => conv, config: {} } as unknown as SenderContext;
    const conn = { online: false, onStreamAck: () => () => {} } as unknown as ConstructorParameters<typeof Sender>[0];
    const outbox = new Outbox(Promise.resolve(undefined));
    const sender = new Sender(conn, outbox, ctx);
    const incoming = (stanzaId: string): ChatMessage => ({ key: stanzaId, stanzaId, conversation: 'bob@x', from: 'bob@x', direction: 'in', body: stanzaId, timestamp: Date.now(), status: 'received' });
    const mine = (id: string): ChatMessage => ({ key: id, originId: id, id, conversation: 'bob@x', from: 'alice@x', direction: 'out', body: id, timestamp: Date.now(), status: 'pending' });

    store.add([incoming('s1')]);
    sender.enqueue(mine('m1'), 'chat');
    store.add([incoming('s2')], 'live');
    sender.enqueue(mine('m2'), 'chat');
    expect(sender.checkFrom('bob@x')).to.equal(undefined); // nothing uncertain yet
    for (const id of ['m1', 'm2']) outbox.sending(id);
    outbox.lost('m2');
    expect(sender.checkFrom('bob@x')).to.equal('s2');
    outbox.lost('m1'); // the older one may have reached the server before s2 did
    expect(sender.checkFrom('bob@x')).to.equal('s1');
  });
});

