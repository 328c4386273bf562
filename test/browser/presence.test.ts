import { expect } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import { bestPresence, buildPresence, parsePresence, readNick } from '../../src/core/protocol/presence.js';
import { buildChatMessage } from '../../src/core/protocol/message.js';
import { parseSubscription } from '../../src/core/protocol/roster.js';
import { isMembersOnly } from '../../src/core/protocol/muc.js';
import { toRows } from '../../src/elements/cc-chat/message-item.js';
import type { ChatMessage } from '../../src/core/protocol/message.js';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const idle = (since: string) => xml('idle', { xmlns: 'urn:xmpp:idle:1', since });

describe('presence with idle times (XEP-0319)', () => {
  it('takes last seen from the idle time of an unavailable presence, else the time it came', () => {
    const gone = parsePresence(xml('presence', { from: 'Bob@x/phone', type: 'unavailable' }, idle('2025-03-10T10:00:00Z')), NOW);
    expect(gone).to.deep.equal({ bare: 'bob@x', resource: 'phone', info: { show: 'offline', status: undefined, lastSeen: Date.parse('2025-03-10T10:00:00Z') }, nick: undefined });
    expect(parsePresence(xml('presence', { from: 'bob@x/phone', type: 'unavailable' }), NOW)?.info.lastSeen).to.equal(NOW);
  });

  it('keeps an available contact’s idle time, and ignores idle times in the future or unreadable', () => {
    expect(parsePresence(xml('presence', { from: 'bob@x/a' }, xml('show', {}, 'away'), idle('2025-03-10T11:30:00+00:00')), NOW)?.info)
      .to.deep.equal({ show: 'away', status: undefined, idleSince: Date.parse('2025-03-10T11:30:00Z') });
    expect(parsePresence(xml('presence', { from: 'bob@x/a', type: 'unavailable' }, idle('2025-03-11T00:00:00Z')), NOW)?.info.lastSeen).to.equal(NOW);
    expect(parsePresence(xml('presence', { from: 'bob@x/a' }, idle('yesterday')), NOW)?.info).to.deep.equal({ show: 'available', status: undefined });
  });

  it('the best presence of an offline contact carries the last seen time', () => {
    expect(bestPresence([], 5)).to.deep.equal({ show: 'offline', lastSeen: 5 });
  });

  it('sends show, status text and idle time', () => {
    const p = buildPresence('away', 'Lunch', [], Date.parse('2025-03-10T11:00:00Z'));
    expect(p.getChildText('show')).to.equal('away');
    expect(p.getChildText('status')).to.equal('Lunch');
    expect(p.getChild('idle', 'urn:xmpp:idle:1')?.attrs.since).to.equal('2025-03-10T11:00:00.000Z');
    expect(buildPresence('available').children).to.have.length(0);
  });
});

describe('user nicknames (XEP-0172)', () => {
  const NICK = 'http://jabber.org/protocol/nick';
  const withNick = (nick: string) => xml('message', { from: 'guest@anon.x/r' }, xml('nick', { xmlns: NICK }, nick));

  it('reads a nick as one trimmed line of at most 64 characters, without direction overrides', () => {
    expect(readNick(withNick('  Visitor\n  Vera '))).to.equal('Visitor Vera');
    expect(readNick(withNick('\u202eareV'))).to.equal('areV');
    expect(readNick(withNick(`${'é'.repeat(70)}`))).to.equal('é'.repeat(64));
    expect(readNick(withNick('😀'.repeat(70)))).to.equal('😀'.repeat(64));
    expect(readNick(withNick('  '))).to.equal(undefined);
    expect(readNick(xml('message', {}, xml('nick', {}, 'no namespace')))).to.equal(undefined);
  });

  it('takes the nick from presence and subscription requests', () => {
    const p = xml('presence', { from: 'guest@anon.x/r' }, xml('nick', { xmlns: NICK }, 'Vera'));
    expect(parsePresence(p)?.nick).to.equal('Vera');
    expect(parseSubscription(xml('presence', { from: 'guest@anon.x', type: 'subscribe' }, xml('nick', { xmlns: NICK }, 'Vera')))?.nick).to.equal('Vera');
  });

  it('sends the nick with a chat message only when there is one', () => {
    expect(buildChatMessage('a@x', 'hi', 'id1', 'Visitor Vera').getChildText('nick', NICK)).to.equal('Visitor Vera');
    expect(buildChatMessage('a@x', 'hi', 'id1').getChild('nick', NICK)).to.equal(undefined);
  });
});

describe('rooms', () => {
  it('reads members-only from disco#info features', () => {
    const info = (...vars: string[]) => xml('iq', { type: 'result' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }, ...vars.map((v) => xml('feature', { var: v }))));
    expect(isMembersOnly(info('muc_open', 'muc_public'))).to.equal(false);
    expect(isMembersOnly(info('muc_membersonly', 'muc_hidden'))).to.equal(true);
  });
});

describe('date separators', () => {
  const m = (key: string, timestamp: number): ChatMessage => ({ key, conversation: 'bob@x', from: 'bob@x', direction: 'in', body: key, timestamp, status: 'received' });
  it('puts one separator before the first message of each day', () => {
    const day = (d: number, h: number) => new Date(2025, 2, d, h).getTime();
    const rows = toRows([m('a', day(8, 9)), m('b', day(8, 23)), m('c', day(9, 0)), m('d', day(11, 12))]);
    expect(rows.map((r) => ('day' in r ? `day ${new Date(r.day).getDate()}` : r.key))).to.deep.equal(['day 8', 'a', 'b', 'day 9', 'c', 'day 11', 'd']);
    expect(toRows([])).to.deep.equal([]);
  });
});
