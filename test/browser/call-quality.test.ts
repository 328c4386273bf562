// The network-quality indicator's rating: round-trip time and the last interval's packet loss, as
// getStats() reports them, and what a lost media path reads as.
import { expect } from '@open-wc/testing';
import { QualityMeter, rate } from '../../src/call/quality.js';

/** What sample() reads of a peer connection: its state and a getStats() report with these figures. */
function peer(sid: string, state: RTCPeerConnectionState, f: { rtt?: number; lost?: number; received?: number } = {}) {
  const report = new Map<string, Record<string, unknown>>([
    ['cp', { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: f.rtt }],
    ['cp-old', { type: 'candidate-pair', nominated: false, state: 'failed', currentRoundTripTime: 9 }],
    ['in-a', { type: 'inbound-rtp', kind: 'audio', packetsLost: f.lost ?? 0, packetsReceived: f.received ?? 0 }],
  ]);
  return { sid, pc: { connectionState: state, getStats: async () => report } as unknown as RTCPeerConnection };
}

describe('rate', () => {
  it('good on a short round trip with little loss', () => {
    expect(rate(0.001, 0)).to.equal('good');
    expect(rate(0.15, 0.02)).to.equal('good');
  });
  it('fair past 150 ms or 2 % loss', () => {
    expect(rate(0.151, 0)).to.equal('fair');
    expect(rate(0.05, 0.021)).to.equal('fair');
    expect(rate(0.4, 0.08)).to.equal('fair');
  });
  it('poor past 400 ms or 8 % loss', () => {
    expect(rate(0.401, 0)).to.equal('poor');
    expect(rate(0.01, 0.081)).to.equal('poor');
  });
});

describe('QualityMeter', () => {
  it('rates the loss of the last interval only, not since the call began', async () => {
    const m = new QualityMeter();
    expect(await m.sample([peer('s', 'connected', { rtt: 0.01, lost: 50, received: 500 })])).to.equal('poor');
    // 1 lost of the next 1000: good again, although 51/1551 overall would be fair.
    expect(await m.sample([peer('s', 'connected', { rtt: 0.01, lost: 51, received: 1500 })])).to.equal('good');
    expect(await m.sample([peer('s', 'connected', { rtt: 0.2, lost: 51, received: 2500 })])).to.equal('fair');
  });

  it('a session that lost its path after it was rated is poor, whatever its last figures; one still setting up is not rated', async () => {
    const m = new QualityMeter();
    expect(await m.sample([peer('a', 'connecting'), peer('b', 'new')])).to.equal('unknown');
    expect(await m.sample([peer('a', 'connected', { rtt: 0.001, received: 100 })])).to.equal('good');
    expect(await m.sample([peer('a', 'disconnected', { rtt: 0.001, received: 100 })])).to.equal('poor');
    // ICE restarting: connecting again, still no media.
    expect(await m.sample([peer('a', 'connecting', { rtt: 0.001, received: 100 })])).to.equal('poor');
    expect(await m.sample([peer('a', 'failed')])).to.equal('poor');
    expect(await m.sample([peer('a', 'connected', { rtt: 0.001, received: 200 })])).to.equal('good');
  });

  it('the worst peer of a group call sets the rating; a newcomer still connecting does not count', async () => {
    const m = new QualityMeter();
    const peers = [peer('a', 'connected', { rtt: 0.01 }), peer('b', 'connected', { rtt: 0.3 }), peer('c', 'connecting')];
    expect(await m.sample(peers)).to.equal('fair');
    expect(await m.sample([peer('a', 'connected', { rtt: 0.01 }), peer('b', 'disconnected', { rtt: 0.01 }), peer('c', 'connecting')])).to.equal('poor');
  });

  it('reset forgets the counters: a new call starts from zero', async () => {
    const m = new QualityMeter();
    await m.sample([peer('s', 'connected', { lost: 0, received: 1000 })]);
    m.reset();
    // Against the old counters this interval would show no loss; from zero it is 10 %.
    expect(await m.sample([peer('s', 'connected', { lost: 100, received: 900 })])).to.equal('poor');
  });
});
