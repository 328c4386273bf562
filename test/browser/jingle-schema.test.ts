// The call stanzas against the XEP schemas' required elements and attributes: stanzas recorded from
// a real call (ours and StanzaJS's), stanzas our builders make now, and the checker itself.
import { expect } from '@open-wc/testing';
import { parseServices, parseIceAttribute } from '../../src/call/extdisco.js';
import { candidateContents, parseJingleIq, sessionAccept, sessionInfo, sessionInitiate, sessionTerminate, transportInfo } from '../../src/call/jingle-session.js';
import { buildJmi, parseJmi } from '../../src/core/protocol/jmi.js';
import { parseSdp, parseSdpCandidate } from '../../src/call/sdp-jingle.js';
import { xml } from '../../src/core/xmpp.js';
import { parseXml } from './call-xml.js';
import { chromium } from './fixtures/chromium-sdp.js';
import { recorded } from './fixtures/recorded-stanzas.js';
import { validateCallStanza } from './jingle-schema.js';

const wire = (el: { toString(): string }) => parseXml(el.toString());

describe('call stanzas: recorded from a real call', () => {
  it('every Jingle and JMI stanza we sent validates', () => {
    const ours = recorded.slice(0, -1);
    expect(ours.length).to.be.greaterThan(4);
    for (const text of ours) {
      const problems = validateCallStanza(parseXml(text));
      expect(problems, text.slice(0, 160)).to.deep.equal([]);
    }
  });

  it('we read the session-accept StanzaJS wrote', () => {
    const accept = parseJingleIq(parseXml(recorded.at(-1)!))!;
    expect(accept.action).to.equal('session-accept');
    expect(accept.model.contents.map((c) => c.media)).to.deep.equal(['audio', 'video']);
    expect(accept.model.contents[0]!.transport.fingerprint!.setup).to.be.oneOf(['active', 'passive']);
    expect(accept.model.contents[0]!.payloads.some((p) => p.name === 'opus')).to.equal(true);
  });
});

describe('call stanzas: our builders', () => {
  const offer = parseSdp(chromium.offer, { author: 'initiator' });
  const answer = parseSdp(chromium.answer, { author: 'responder' });
  const cand = parseSdpCandidate(chromium.candidatesOffer[0]!.candidate)!;

  it('session-initiate, session-accept, transport-info, session-info and session-terminate validate', () => {
    const all = [
      sessionInitiate('b@x/1', 's1', 'a@x/2', offer),
      sessionAccept('a@x/2', 's1', 'b@x/1', answer),
      transportInfo('b@x/1', 's1', candidateContents(offer.contents[0]!, offer.contents[0]!.transport.ufrag, offer.contents[0]!.transport.pwd, [cand])),
      sessionTerminate('b@x/1', 's1', 'success'),
    ];
    for (const el of all) expect(validateCallStanza(wire(el)), el.toString().slice(0, 120)).to.deep.equal([]);
    expect(validateCallStanza(wire(sessionInfo('b@x/1', 's1', 'ringing')))).to.deep.equal([]);
  });

  it('JMI messages validate and parse back', () => {
    for (const action of ['propose', 'ringing', 'proceed', 'reject', 'retract', 'finish'] as const) {
      const el = wire(buildJmi(action, 'b@x', 'call-1', { media: ['audio', 'video'], reason: action === 'reject' ? 'busy' : undefined }));
      expect(validateCallStanza(el), action).to.deep.equal([]);
      const m = parseJmi(el, 'b@x', 'b@x/1')!;
      expect(m.action).to.equal(action);
      expect(m.id).to.equal('call-1');
      if (action === 'propose') expect(m.media).to.deep.equal(['audio', 'video']);
      if (action === 'reject') expect(m.reason).to.equal('busy');
    }
  });

  it('JMI carbons are read only from our own account', () => {
    const inner = buildJmi('proceed', 'a@x/1', 'c1');
    inner.attrs.from = 'b@x/2';
    const carbon = (from: string) => wire(xml('message', { from, to: 'b@x/1' },
      xml('sent', { xmlns: 'urn:xmpp:carbons:2' }, xml('forwarded', { xmlns: 'urn:xmpp:forward:0' }, inner))));
    expect(parseJmi(carbon('b@x'), 'b@x', 'b@x/1')).to.deep.include({ action: 'proceed', carbon: 'sent', from: 'b@x/2' });
    expect(parseJmi(carbon('mallory@x'), 'b@x', 'b@x/1')).to.equal(null);
  });
});

describe('call stanzas: the checker catches what is missing', () => {
  it('flags a missing sid, a candidate without ip, actpass in an answer and an empty propose', () => {
    const offer = parseSdp(chromium.answer, { author: 'responder' });
    offer.contents[0]!.transport.fingerprint!.setup = 'actpass';
    offer.contents[0]!.transport.candidates.push({ ...parseSdpCandidate(chromium.candidatesAnswer[0]!.candidate)!, ip: '' });
    const accept = wire(sessionAccept('a@x/2', '', 'b@x/1', offer));
    const problems = validateCallStanza(accept)!;
    expect(problems.some((p: string) => p.includes('@sid'))).to.equal(true);
    expect(problems.some((p: string) => p.includes('@ip'))).to.equal(true);
    expect(problems.some((p: string) => p.includes('setup=actpass'))).to.equal(true);
    const propose = wire(xml('message', { to: 'b@x' }, xml('propose', { xmlns: 'urn:xmpp:jingle-message:0', id: 'x' })));
    expect(validateCallStanza(propose)).to.deep.equal(['propose: no RTP <description/>']);
  });
});

describe('XEP-0215 and the ice attribute', () => {
  it('turns services into ICE servers with credentials', () => {
    const reply = wire(xml('iq', { type: 'result' }, xml('services', { xmlns: 'urn:xmpp:extdisco:2' },
      xml('service', { type: 'stun', host: '127.0.0.1', port: '3478', transport: 'udp' }),
      xml('service', { type: 'turn', host: '127.0.0.1', port: '3478', transport: 'udp', username: '1700000000', password: 'c2VjcmV0', expires: '2030-01-01T00:00:00Z', restricted: '1' }),
      xml('service', { type: 'ftp', host: 'x' }))));
    expect(parseServices(reply)).to.deep.equal([
      { urls: 'stun:127.0.0.1:3478' },
      { urls: 'turn:127.0.0.1:3478?transport=udp', username: '1700000000', credential: 'c2VjcmV0' },
    ]);
  });

  it('reads the ice attribute', () => {
    expect(parseIceAttribute('stun:stun.example.org:3478, turn:u:p%40ss@turn.example.org:3478 http://nope')).to.deep.equal([
      { urls: 'stun:stun.example.org:3478' },
      { urls: 'turn:turn.example.org:3478', username: 'u', credential: 'p@ss' },
    ]);
  });
});
