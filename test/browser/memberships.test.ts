// Shared room memberships: reference counting, presence to every part, one join and one leave, nick
// conflicts, and the echo of an earlier leave while joining again. The connection here is a recorder
// of what would go on the wire (the behaviour against a real server is in test/e2e/meeting.test.mjs).
import { expect } from '@open-wc/testing';
import type { Connection } from '../../src/core/connection.js';
import { Memberships, type PresenceInfo } from '../../src/core/memberships.js';
import { xml, type Element } from '../../src/core/xmpp.js';

const ROOM = 'r@conference.x';
const MUC_USER = 'http://jabber.org/protocol/muc#user';

function wire() {
  const sent: Element[] = [];
  let route: (s: Element) => boolean | void = () => false;
  const conn = {
    online: true,
    onStanza: (h: typeof route) => { route = h; return () => {}; },
    onOnline: () => () => {},
    send: async (el: Element) => { sent.push(el); },
  } as unknown as Connection;
  /** A presence from the room: `codes` are muc#user status codes (110: ours). */
  const presence = (nick: string, opts: { codes?: string[]; type?: string; payload?: Element[] } = {}, room = ROOM) =>
    route(xml('presence', { from: `${room}/${nick}`, ...(opts.type ? { type: opts.type } : {}) },
      xml('x', { xmlns: MUC_USER }, xml('item', { role: 'participant', affiliation: 'none' }), ...(opts.codes ?? []).map((code) => xml('status', { code }))),
      ...(opts.payload ?? [])));
  const error = (nick: string, condition: string, room = ROOM) => route(xml('presence', { from: `${room}/${nick}`, type: 'error' },
    xml('error', { type: 'cancel' }, xml(condition, { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }))));
  const presences = () => sent.filter((s) => s.is('presence')).map((s) => `${s.attrs.type ?? 'available'} ${s.attrs.to}${s.getChild('x') ? ' +x' : ''}${s.getChild('muji') ? ' +muji' : ''}`);
  return { conn, sent, presence, error, presences };
}

describe('room memberships', () => {
  it('one join for many parts; every part sees every presence; the room is left with the last release', async () => {
    const w = wire();
    const m = new Memberships(w.conn);
    const seenA: string[] = [];
    const seenB: string[] = [];
    const a = m.hold(ROOM, 'alice', { presence: (_p, i: PresenceInfo) => seenA.push(`${i.nick}${i.self ? '*' : ''}`) });
    const b = m.hold(ROOM, 'alice-call', { presence: (_p, i: PresenceInfo) => seenB.push(`${i.nick}${i.self ? '*' : ''}`) });
    expect(w.presences()).to.deep.equal([`available ${ROOM}/alice +x`]);
    w.presence('bob');
    w.presence('alice', { codes: ['110'] });
    await Promise.all([a.ready(), b.ready()]);
    expect(b.nick).to.equal('alice');
    expect(seenA).to.deep.equal(['bob', 'alice*']);
    expect(seenB).to.deep.equal(['bob', 'alice*']);
    expect([...a.occupants.keys()]).to.deep.equal(['bob', 'alice']);

    // A part's payload joins ours; releasing that part takes only the payload away.
    b.setExtension(xml('muji', { xmlns: 'urn:xmpp:jingle:muji:0' }));
    await b.release();
    await a.ready();
    expect(w.presences().slice(1)).to.deep.equal([`available ${ROOM}/alice +muji`, `available ${ROOM}/alice`]);
    await a.release();
    expect(w.presences().at(-1)).to.equal(`unavailable ${ROOM}/alice`);
    expect(m.has(ROOM)).to.equal(false);
  });

  it('a taken nick is retried with another; a late joiner of a joined room is in at once', async () => {
    const w = wire();
    const m = new Memberships(w.conn);
    const a = m.hold(ROOM, 'alice', {});
    w.error('alice', 'conflict');
    expect(w.presences().at(-1)).to.equal(`available ${ROOM}/alice_ +x`);
    w.presence('alice_', { codes: ['110'] });
    await a.ready();
    const states: string[] = [];
    const b = m.hold(ROOM, 'alice', { state: (s) => states.push(s) });
    expect(b.joined).to.equal(true);
    expect(b.nick).to.equal('alice_');
    await b.ready();
    expect(states).to.deep.equal([]);
    expect(w.presences()).to.have.length(2);
  });

  it('joining again right after leaving: the echo of the leave does not count as being thrown out', async () => {
    const w = wire();
    const m = new Memberships(w.conn);
    const a = m.hold(ROOM, 'alice', {});
    w.presence('alice', { codes: ['110'] });
    await a.ready();
    await a.release();
    const states: string[] = [];
    const again = m.hold(ROOM, 'alice', { state: (s) => states.push(s) });
    w.presence('alice', { codes: ['110'], type: 'unavailable' });
    expect(again.state).to.equal('joining');
    w.presence('alice', { codes: ['110'] });
    await again.ready();
    expect(states).to.deep.equal(['joining', 'joined']);
  });

  it('kicked: every part hears it; a refused join fails ready()', async () => {
    const w = wire();
    const m = new Memberships(w.conn);
    const heard: string[] = [];
    const a = m.hold(ROOM, 'alice', { state: (s, d) => heard.push(`${s}${d.kicked ? ' kicked' : ''}`) });
    w.presence('alice', { codes: ['110'] });
    await a.ready();
    w.presence('alice', { codes: ['110', '307'], type: 'unavailable' });
    expect(heard).to.deep.equal(['joining', 'joined', 'error kicked']);
    expect(a.error).to.equal('kicked');

    const other = m.hold('members@conference.x', 'alice', {});
    const refused = other.ready().then(() => 'joined', (e: Error) => e.message);
    w.error('alice', 'registration-required', 'members@conference.x');
    expect(await refused).to.contain('registration-required');
    expect(other.state).to.equal('error');
  });

  it('a join sent as soon as a fresh stream came online is not repeated by the online hook; the next fresh stream rejoins', () => {
    const sent: Element[] = [];
    let hook: (resumed: boolean) => void = () => {};
    const conn = {
      online: true, streams: 1,
      onStanza: () => () => {},
      onOnline: (h: typeof hook) => { hook = h; return () => {}; },
      send: async (el: Element) => { sent.push(el); },
    } as unknown as Connection & { streams: number };
    const m = new Memberships(conn);
    m.hold(ROOM, 'alice', {});
    hook(false);
    expect(sent.filter((x) => x.is('presence')).length).to.equal(1);
    conn.streams = 2;
    hook(false);
    expect(sent.filter((x) => x.is('presence')).length).to.equal(2);
  });
});
