// Ringtone (incoming) and ringback (outgoing) synthesised with Web Audio: no sound files to ship.
export type Tone = 'ring' | 'ringback';

export class TonePlayer {
  private ctx?: AudioContext;
  private timer?: ReturnType<typeof setInterval>;
  private playing?: Tone;

  play(tone: Tone) {
    if (this.playing === tone) return;
    this.stop();
    this.playing = tone;
    try {
      this.ctx ??= new AudioContext();
    } catch {
      return;
    }
    const burst = () => {
      const ctx = this.ctx!;
      if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
      const gain = ctx.createGain();
      gain.gain.value = tone === 'ring' ? 0.12 : 0.06;
      gain.connect(ctx.destination);
      const freqs = tone === 'ring' ? [440, 480] : [425];
      const t0 = ctx.currentTime;
      const len = tone === 'ring' ? 1.2 : 1.0;
      for (const f of freqs) {
        const o = ctx.createOscillator();
        o.frequency.value = f;
        o.connect(gain);
        o.start(t0);
        o.stop(t0 + len);
      }
    };
    burst();
    this.timer = setInterval(burst, tone === 'ring' ? 3000 : 4000);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    this.playing = undefined;
  }

  dispose() {
    this.stop();
    void this.ctx?.close().catch(() => {});
    this.ctx = undefined;
  }
}
