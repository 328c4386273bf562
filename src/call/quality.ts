// The network-quality indicator: round-trip time and recent packet loss from getStats(), of the worst
// connected peer.
import type { Quality } from './store.js';

const RANK: Record<Quality, number> = { unknown: 0, good: 1, fair: 2, poor: 3 };

export function rate(rttSeconds: number, loss: number): Quality {
  return rttSeconds > 0.4 || loss > 0.08 ? 'poor' : rttSeconds > 0.15 || loss > 0.02 ? 'fair' : 'good';
}

export class QualityMeter {
  /** Loss counters at the last sample, per session: the rating is about the last interval only. */
  private last = new Map<string, { lost: number; received: number }>();

  async sample(peers: { sid: string; pc: RTCPeerConnection }[]): Promise<Quality> {
    let worst: Quality = 'unknown';
    for (const p of peers) {
      if (p.pc.connectionState !== 'connected') {
        // Rated before, so ICE lost the path (or restarts): no packets to rate, and the last figures would read good.
        if (this.last.has(p.sid)) worst = 'poor';
        continue;
      }
      const stats = await p.pc.getStats();
      let rtt = 0;
      let lost = 0, received = 0;
      stats.forEach((s) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') rtt = s.currentRoundTripTime ?? 0;
        if (s.type === 'inbound-rtp') {
          lost += s.packetsLost ?? 0;
          received += s.packetsReceived ?? 0;
        }
      });
      const prev = this.last.get(p.sid) ?? { lost: 0, received: 0 };
      this.last.set(p.sid, { lost, received });
      const dl = lost - prev.lost, dr = received - prev.received;
      const q = rate(rtt, dl + dr > 0 ? dl / (dl + dr) : 0);
      if (RANK[q] > RANK[worst]) worst = q;
    }
    return worst;
  }

  reset() {
    this.last.clear();
  }
}
