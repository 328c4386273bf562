// Which call the archive shows as still ringing, for a page opened from a call notification.
import { expect } from '@open-wc/testing';
import { stillProposed } from '../../src/call/proposed.js';
import { buildJmi } from '../../src/core/protocol/jmi.js';
import type { ArchivedStanza } from '../../src/core/protocol/mam.js';
import { xml, type Element } from '../../src/core/xmpp.js';

const me = { bare: 'bob@x', full: 'bob@x/new-tab' };
const ALICE = 'alice@x/web';
let n = 0;
/** An archived message: alice's as the server stamped it, or ours (from another of our devices). */
const archived = (el: Element, timestamp: number, from = ALICE): ArchivedStanza =>
  ({ stanzaId: `s${n++}`, timestamp, message: xml('message', { ...el.attrs, from }, ...el.getChildElements()) });
const propose = (id: string, at: number) => archived(buildJmi('propose', 'bob@x', id, { media: ['audio'] }), at);

describe('stillProposed', () => {
  const now = 100_000;
  it('finds the newest unanswered propose from the peer, with the full JID to answer', () => {
    const m = stillProposed([propose('old', now - 30_000), propose('c2', now - 5000)], me, 'alice@x', now, 60_000);
    expect(m?.id).to.equal('c2');
    expect(m?.from).to.equal(ALICE);
  });

  it('skips calls that were retracted, declined, answered on another device, or are too old', () => {
    const items = [
      propose('retracted', now - 9000), archived(buildJmi('retract', 'bob@x', 'retracted', { reason: 'cancel' }), now - 8000),
      propose('declined', now - 7000), archived(buildJmi('reject', ALICE, 'declined', { reason: 'decline' }), now - 6000, 'bob@x/phone'),
      propose('answered', now - 5000), archived(buildJmi('proceed', ALICE, 'answered'), now - 4000, 'bob@x/phone'),
      propose('stale', now - 61_000),
    ];
    expect(stillProposed(items, me, 'alice@x', now, 60_000)).to.equal(undefined);
  });

  it('ignores our own outgoing calls and other people\'s calls', () => {
    const ours = archived(buildJmi('propose', 'alice@x', 'mine', { media: ['audio'] }), now - 1000, 'bob@x/phone');
    const carols = archived(buildJmi('propose', 'bob@x', 'carol', { media: ['audio'] }), now - 1000, 'carol@x/web');
    expect(stillProposed([ours, carols], me, 'alice@x', now, 60_000)).to.equal(undefined);
    expect(stillProposed([carols], me, 'carol@x', now, 60_000)?.id).to.equal('carol');
  });
});
