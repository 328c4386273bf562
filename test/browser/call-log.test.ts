// Calls as conversation events, folded from XEP-0353 messages as both sides and the archive see them.
import { expect } from '@open-wc/testing';
import { CallLog, callDuration, type CallEvent } from '../../src/core/call-log.js';
import { buildJmi } from '../../src/core/protocol/jmi.js';
import { xml, type Element } from '../../src/core/xmpp.js';

const alice = { bare: 'alice@x', full: 'alice@x/web' };
const BOB = 'bob@x/phone';

/** A JMI message as it arrives from bob (our builders set no `from`: the server does). */
const fromBob = (el: Element) => xml('message', { ...el.attrs, from: BOB, to: alice.full }, ...el.getChildElements());

function log() {
  const shown = new Map<string, CallEvent>();
  const l = new CallLog(() => alice, (e) => shown.set(e.key, e));
  return { l, shown, texts: () => [...shown.values()].map((e) => e.text) };
}

describe('call log', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect(callDuration(0)).to.equal('0:00');
    expect(callDuration(151_000)).to.equal('2:31');
    expect(callDuration(3_725_000)).to.equal('1:02:05');
  });

  it('an answered video call we made: one line, updated to its duration from proceed to finish', () => {
    const { l, shown, texts } = log();
    l.sent(buildJmi('propose', 'bob@x', 'c1', { media: ['audio', 'video'] }), 1000);
    expect(texts()).to.deep.equal(['Outgoing video call']);
    l.received(fromBob(buildJmi('ringing', alice.full, 'c1')), 1500);
    l.received(fromBob(buildJmi('proceed', alice.full, 'c1')), 3000);
    expect(texts()).to.deep.equal(['Video call']);
    l.received(fromBob(buildJmi('finish', alice.full, 'c1', { reason: 'success' })), 154_000);
    expect(texts()).to.deep.equal(['Video call, 2:31']);
    const e = shown.get('call-c1')!;
    expect(e.conversation).to.equal('bob@x');
    expect(e.timestamp).to.equal(1000);
  });

  it('calls that never connected read differently for caller and callee', () => {
    const caller = log();
    const callee = log();
    // bob calls alice and gives up: alice missed it.
    callee.l.received(fromBob(buildJmi('propose', alice.full, 'm1', { media: ['audio'] })), 10);
    expect(callee.texts()).to.deep.equal(['Incoming audio call']);
    callee.l.received(fromBob(buildJmi('retract', alice.full, 'm1', { reason: 'timeout' })), 60_010);
    expect(callee.texts()).to.deep.equal(['Missed audio call']);
    // alice's own calls to bob: cancelled, unanswered, declined, busy.
    caller.l.sent(buildJmi('propose', 'bob@x', 'o1', { media: ['audio'] }), 1);
    caller.l.sent(buildJmi('retract', 'bob@x', 'o1', { reason: 'cancel' }), 2);
    caller.l.sent(buildJmi('propose', 'bob@x', 'o2', { media: ['audio', 'video'] }), 3);
    caller.l.sent(buildJmi('retract', 'bob@x', 'o2', { reason: 'timeout' }), 4);
    caller.l.sent(buildJmi('propose', 'bob@x', 'o3', { media: ['audio'] }), 5);
    caller.l.received(fromBob(buildJmi('reject', alice.full, 'o3', { reason: 'decline' })), 6);
    caller.l.sent(buildJmi('propose', 'bob@x', 'o4', { media: ['audio'] }), 7);
    caller.l.received(fromBob(buildJmi('reject', alice.full, 'o4', { reason: 'busy' })), 8);
    expect(caller.texts()).to.deep.equal(['Cancelled audio call', 'Video call, no answer', 'Audio call declined', 'Audio call, busy']);
  });

  it('history read backwards (finish before propose) gives the same line; our other device answering counts', () => {
    const { l, texts } = log();
    // Archive pages come newest first: the end of the call may be read before its start.
    l.received(xml('message', { from: alice.bare + '/phone', to: 'bob@x' }, buildJmi('finish', 'bob@x', 'c9').getChildElements()[0]!), 70_000);
    l.received(xml('message', { from: alice.bare + '/phone', to: BOB }, buildJmi('proceed', BOB, 'c9').getChildElements()[0]!), 10_000);
    l.received(fromBob(buildJmi('propose', alice.full, 'c9', { media: ['audio'] })), 9_000);
    expect(texts()).to.deep.equal(['Audio call, 1:00']);
  });

  it('ignores plain messages and ringing (which adds nothing to the record)', () => {
    const { l, texts } = log();
    l.received(xml('message', { from: BOB, to: alice.full, type: 'chat' }, xml('body', {}, 'hi')));
    l.received(fromBob(buildJmi('ringing', alice.full, 'r1')));
    expect(texts()).to.deep.equal([]);
  });
});
