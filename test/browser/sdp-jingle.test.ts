// SDP ⇄ Jingle on real Chromium output: the model, the XML on the wire, and SDP that a real
// RTCPeerConnection accepts — up to media flowing between two peers signalled only through Jingle.
import { expect } from '@open-wc/testing';
import {
  JNS, answerSetup, jingleChildren, parseCandidateElement, parseJingle, parseSdp, parseSdpCandidate, sdpCandidate,
  toSdp, candidateElement, type SessionModel,
} from '../../src/call/sdp-jingle.js';
import { xml } from '../../src/core/xmpp.js';
import { parseXml } from './call-xml.js';
import { chromium } from './fixtures/chromium-sdp.js';
import { waitFor } from '../support/env.js';

/** What a peer would receive: the model serialised into a jingle element and parsed back from text. */
function overTheWire(model: SessionModel): SessionModel {
  const el = xml('jingle', { xmlns: JNS.jingle, action: 'session-initiate', sid: 'x' }, ...jingleChildren(model));
  return parseJingle(parseXml(el.toString()));
}

describe('sdp-jingle: Chromium offer → model', () => {
  const m = parseSdp(chromium.offer, { author: 'initiator' });

  it('has one content per m-line, named by mid, grouped by BUNDLE', () => {
    expect(m.contents.map((c) => [c.name, c.media, c.senders, c.creator])).to.deep.equal([
      ['0', 'audio', 'both', 'initiator'], ['1', 'video', 'both', 'initiator'],
    ]);
    expect(m.groups).to.deep.equal([{ semantics: 'BUNDLE', contents: ['0', '1'] }]);
  });

  it('keeps payload types with parameters and RTCP feedback (XEP-0167/0293)', () => {
    const audio = m.contents[0]!;
    const opus = audio.payloads.find((p) => p.name === 'opus')!;
    expect(opus).to.deep.include({ id: 111, clockrate: 48000, channels: 2 });
    expect(opus.parameters).to.deep.equal([['minptime', '10'], ['useinbandfec', '1']]);
    expect(opus.feedback).to.deep.equal([{ type: 'transport-cc' }]);
    const vp8 = m.contents[1]!.payloads.find((p) => p.name === 'VP8')!;
    expect(vp8.feedback).to.deep.include({ type: 'nack', subtype: 'pli' });
    expect(m.contents[1]!.payloads.find((p) => p.id === 97)!.parameters).to.deep.equal([['apt', '96']]);
    // Static payload types keep their number; every m-line format is described.
    expect(audio.payloads.map((p) => p.id)).to.deep.equal([111, 63, 9, 0, 8, 13, 110, 126]);
  });

  it('keeps header extensions, sources and source groups (XEP-0294/0339)', () => {
    const video = m.contents[1]!;
    expect(video.headerExtensions).to.deep.include({ id: 4, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' });
    expect(video.sourceGroups).to.have.length(1);
    expect(video.sourceGroups[0]!.semantics).to.equal('FID');
    expect(video.sources.map((s) => s.ssrc)).to.deep.equal(video.sourceGroups[0]!.sources);
    expect(video.sources[0]!.parameters.map(([k]) => k)).to.include.members(['cname', 'msid']);
    expect(video.extmapAllowMixed).to.equal(true);
    expect(video.rtcpMux).to.equal(true);
  });

  it('carries ICE credentials and the DTLS fingerprint with its setup role (XEP-0176/0320)', () => {
    const t = m.contents[0]!.transport;
    expect(t.ufrag).to.match(/^\S{4,}$/);
    expect(t.pwd).to.match(/^\S{22,}$/);
    expect(t.fingerprint).to.deep.include({ hash: 'sha-256', setup: 'actpass' });
    expect(t.fingerprint!.value).to.match(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('takes media-level msid onto sources when the answer has no ssrc msid lines', () => {
    const a = parseSdp(chromium.answer, { author: 'responder' });
    expect(a.contents[0]!.sources[0]!.parameters.find(([k]) => k === 'msid')).to.not.equal(undefined);
    expect(a.contents[0]!.transport.fingerprint!.setup).to.equal('active');
  });
});

describe('sdp-jingle: Jingle XML', () => {
  it('uses the XEP namespaces and required attributes on the wire', () => {
    const m = parseSdp(chromium.offer, { author: 'initiator' });
    const el = parseXml(xml('jingle', { xmlns: JNS.jingle }, ...jingleChildren(m)).toString());
    const content = el.getChild('content')!;
    expect(content.attrs).to.include({ creator: 'initiator', name: '0' });
    const desc = content.getChild('description', JNS.rtp)!;
    expect(desc.attrs.media).to.equal('audio');
    expect(desc.getChildren('payload-type')[0]!.attrs).to.include({ id: '111', name: 'opus', clockrate: '48000', channels: '2' });
    expect(desc.getChildren('payload-type')[0]!.getChild('rtcp-fb', JNS.rtcpFb)!.attrs.type).to.equal('transport-cc');
    expect(desc.getChild('rtp-hdrext', JNS.hdrext)!.attrs).to.include({ id: '1', uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level' });
    expect(desc.getChild('source', JNS.ssma)!.attrs.ssrc).to.match(/^\d+$/);
    const t = content.getChild('transport', JNS.iceUdp)!;
    expect(t.attrs.ufrag).to.be.a('string');
    expect(t.attrs.pwd).to.be.a('string');
    expect(t.getChild('fingerprint', JNS.dtls)!.attrs).to.include({ hash: 'sha-256', setup: 'actpass' });
    expect(el.getChild('group', JNS.grouping)!.attrs.semantics).to.equal('BUNDLE');
  });

  it('round-trips the model through XML text unchanged (apart from nameless fmtp values)', () => {
    const m = parseSdp(chromium.offer, { author: 'initiator' });
    expect(overTheWire(m)).to.deep.equal(m);
  });

  it('maps directions to senders relative to who wrote the SDP, and back', () => {
    const offer = chromium.offer.replace(/a=sendrecv/g, 'a=sendonly');
    const m = parseSdp(offer, { author: 'initiator' });
    expect(m.contents.map((c) => c.senders)).to.deep.equal(['initiator', 'initiator']);
    // The responder's view of the same content is receive-only.
    expect(toSdp(m, { author: 'responder' })).to.contain('a=recvonly');
    expect(toSdp(m, { author: 'initiator' })).to.contain('a=sendonly');
  });

  it('describes a grouped ssrc the peer left undescribed (StanzaJS drops the RTX source)', () => {
    const m = parseSdp(chromium.answer, { author: 'responder' });
    const video = m.contents[1]!;
    const rtx = video.sourceGroups[0]!.sources[1]!;
    video.sources = video.sources.filter((s) => s.ssrc !== rtx);
    expect(toSdp(m, { author: 'responder' })).to.match(new RegExp(`a=ssrc:${rtx} cname:\\S+`));
  });

  it('never answers with actpass', () => {
    expect(answerSetup('actpass')).to.equal('active');
    expect(answerSetup(undefined)).to.equal('active');
    expect(answerSetup('active')).to.equal('passive');
  });
});

describe('sdp-jingle: candidates', () => {
  it('parses Chromium candidates (udp, tcp, IPv6) and writes them back', () => {
    const all = [...chromium.candidatesOffer, ...chromium.candidatesAnswer];
    expect(all.length).to.be.greaterThan(0);
    for (const init of all) {
      const c = parseSdpCandidate(init.candidate)!;
      expect(c, init.candidate).to.not.equal(null);
      const back = parseCandidateElement(parseXml(candidateElement(c).toString()))!;
      expect(back).to.deep.equal(c);
      // SDP for a remote candidate has no network id (it only means something to its gatherer).
      const again = parseSdpCandidate(sdpCandidate(back))!;
      expect({ ...again, id: c.id, network: c.network }).to.deep.equal(c);
    }
  });

  it('keeps related address and port of relay and srflx candidates', () => {
    const c = parseSdpCandidate('candidate:1 1 udp 41885439 127.0.0.1 50000 typ relay raddr 192.0.2.2 rport 40000 generation 0 ufrag ab network-id 1')!;
    expect(c).to.deep.include({ type: 'relay', relAddr: '192.0.2.2', relPort: 40000, network: 1 });
    expect(sdpCandidate(c)).to.equal('candidate:1 1 udp 41885439 127.0.0.1 50000 typ relay raddr 192.0.2.2 rport 40000 generation 0');
  });
});

describe('sdp-jingle: real peers signalled only through Jingle', () => {
  it('an offer and answer converted to Jingle and back connect two RTCPeerConnections with media', async function () {
    this.timeout(20000);
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const a = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    const b = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    try {
      for (const t of stream.getTracks()) a.addTrack(t, stream);
      const tracksAtB: MediaStreamTrack[] = [];
      b.ontrack = (e) => tracksAtB.push(e.track);
      // Candidates travel as XEP-0176 transport-info elements.
      const trickle = (from: RTCPeerConnection, to: RTCPeerConnection) => {
        from.onicecandidate = (e) => {
          if (!e.candidate?.candidate) return;
          const c = parseSdpCandidate(e.candidate.candidate);
          if (!c) return;
          const wire = parseCandidateElement(parseXml(candidateElement(c).toString()))!;
          void to.addIceCandidate({ candidate: sdpCandidate(wire), sdpMid: e.candidate.sdpMid ?? '0' });
        };
      };
      trickle(a, b);
      trickle(b, a);
      await a.setLocalDescription(await a.createOffer());
      const offer = overTheWire(parseSdp(a.localDescription!.sdp, { author: 'initiator' }));
      await b.setRemoteDescription({ type: 'offer', sdp: toSdp(offer, { author: 'initiator' }) });
      const own = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      for (const t of own.getTracks()) b.addTrack(t, own);
      await b.setLocalDescription(await b.createAnswer());
      const answer = overTheWire(parseSdp(b.localDescription!.sdp, { author: 'responder', creator: 'initiator' }));
      expect(answer.contents[0]!.transport.fingerprint!.setup).to.equal('active');
      await a.setRemoteDescription({ type: 'answer', sdp: toSdp(answer, { author: 'responder' }) });
      await waitFor(() => a.connectionState === 'connected' && b.connectionState === 'connected', 'both peers connected', 15000);
      const decoded = async () => {
        const stats = await b.getStats();
        let frames = 0;
        stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0; });
        return frames;
      };
      const first = await waitFor(decoded, 'video frames decoded', 15000);
      await waitFor(async () => (await decoded()) > first, 'more video frames decoded', 15000);
      expect(tracksAtB.map((t) => t.kind).sort()).to.deep.equal(['audio', 'video']);
      own.getTracks().forEach((t) => t.stop());
    } finally {
      a.close();
      b.close();
      stream.getTracks().forEach((t) => t.stop());
    }
  });
});
