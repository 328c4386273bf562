// One RTCPeerConnection with one remote device, and its Jingle session: descriptions and trickled
// candidates in both directions, and ICE restarts when the media path drops.
import type { Element } from '../core/xmpp.js';
import { transportInfo, type JingleRequest } from './jingle-session.js';
import { answerSetup, parseSdp, parseSdpCandidate, sdpCandidate, toSdp, type Candidate, type Role, type SessionModel } from './sdp-jingle.js';

/** What a peer needs from its engine. */
export interface PeerHost {
  /** Signalling is up; a restart offer made offline would be stale by the time it could go. */
  readonly online: boolean;
  sendIq(iq: Element): Promise<Element | null>;
  peersChanged(): void;
}

/** A short drop often heals by itself; after this long without media, ICE restarts. */
const DISCONNECT_GRACE = 2500;
/** A restart that has not connected after this long is tried again (doubling, up to the cap). */
const RESTART_RETRY = 5000;
const RESTART_RETRY_CAP = 30_000;

export class Peer {
  readonly pc: RTCPeerConnection;
  /** Local candidates gathered before our description was sent. */
  private held: { mid: string; c: Candidate }[] = [];
  /** Remote candidates that came before the remote description. */
  private early: { mid: string; c: Candidate }[] = [];
  /** Every remote ICE ufrag seen: late candidates of an old generation are not a new restart. */
  private readonly remoteUfrags = new Set<string>();
  signalled = false;
  remoteModel?: SessionModel;
  localModel?: SessionModel;
  stream: MediaStream | null = null;
  /** ICE restarts sent or answered (for tests and the bench). */
  restarts = 0;
  private disconnectTimer?: ReturnType<typeof setTimeout>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private retries = 0;
  closed = false;

  constructor(
    private readonly host: PeerHost,
    readonly sid: string,
    public remote: string,
    readonly role: Role,
    readonly name: string,
    config: RTCConfiguration,
  ) {
    this.pc = new RTCPeerConnection({ ...config, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.pc.onicecandidate = (e) => {
      const line = e.candidate?.candidate;
      if (!line) return;
      const c = parseSdpCandidate(line);
      if (!c) return;
      const mid = e.candidate!.sdpMid ?? this.localModel?.contents[0]?.name ?? '0';
      if (!this.signalled) this.held.push({ mid, c });
      else this.sendCandidates([{ mid, c }]);
    };
    this.pc.ontrack = (e) => {
      this.stream ??= e.streams[0] ?? new MediaStream();
      if (!this.stream.getTracks().includes(e.track)) this.stream.addTrack(e.track);
      this.host.peersChanged();
    };
    this.pc.onconnectionstatechange = () => this.onState();
  }

  private onState() {
    const s = this.pc.connectionState;
    clearTimeout(this.disconnectTimer);
    if (s === 'connected') {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.retries = 0;
    }
    if (s === 'failed') void this.restartIce();
    if (s === 'disconnected') this.disconnectTimer = setTimeout(() => void this.restartIce(), DISCONNECT_GRACE);
    this.host.peersChanged();
  }

  /**
   * The Jingle initiator restarts ICE (as the offerer): fresh credentials in a transport-info
   * (XEP-0176), candidates of the new generation trickle after it. Until media flows again it tries
   * again, with growing pauses: a restart made while the network is still down cannot succeed.
   */
  async restartIce(force?: boolean) {
    if (this.closed || this.role !== 'initiator' || !this.signalled || (!force && this.pc.connectionState === 'connected')) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.restartIce(), Math.min(RESTART_RETRY * 2 ** this.retries++, RESTART_RETRY_CAP));
    if (!this.host.online) return;
    try {
      // An earlier restart the other side never answered: take it back first.
      if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
      if (this.pc.signalingState !== 'stable') return;
      await this.pc.setLocalDescription(await this.pc.createOffer({ iceRestart: true }));
    } catch (e) {
      console.warn('cc-call: ICE restart failed', e);
      return;
    }
    if (this.closed) return;
    this.restarts++;
    const model = parseSdp(this.pc.localDescription!.sdp, { author: 'initiator' });
    this.localModel = model;
    void this.host.sendIq(transportInfo(this.remote, this.sid, model.contents.map((c) => ({ ...c, transport: { ...c.transport, candidates: [] } }))));
  }

  /** A transport-info: candidates of the current generation, or fresh credentials (a restart). */
  async onTransportInfo(req: JingleRequest) {
    const ufrags = req.model.contents.map((c) => c.transport.ufrag).filter((u): u is string => !!u);
    const current = this.remoteModel?.contents[0]?.transport.ufrag;
    const fresh = !!this.remoteModel && ufrags.some((u) => u !== current && !this.remoteUfrags.has(u));
    if (fresh) return this.onRestart(req);
    // Late candidates of a generation that a restart replaced lead nowhere.
    if (ufrags.some((u) => u !== current && this.remoteUfrags.has(u))) return;
    await this.addRemoteCandidates(req);
  }

  /** Fresh ICE credentials from the other side: it restarted ICE, or answered our restart. */
  private async onRestart(req: JingleRequest) {
    const byName = new Map(req.model.contents.map((c) => [c.name, c.transport]));
    const remote = this.remoteModel!;
    for (const c of remote.contents) {
      const t = byName.get(c.name) ?? byName.get(remote.contents[0]!.name);
      if (t) c.transport = { ...c.transport, ufrag: t.ufrag, pwd: t.pwd, fingerprint: t.fingerprint ?? c.transport.fingerprint, candidates: t.candidates };
      if (t?.ufrag) this.remoteUfrags.add(t.ufrag);
    }
    if (this.role === 'responder') {
      await this.pc.setRemoteDescription({ type: 'offer', sdp: toSdp(remote, { author: 'initiator', version: Date.now() % 1e9 }) });
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      this.restarts++;
      const model = parseSdp(this.pc.localDescription!.sdp, { author: 'responder', creator: 'initiator' });
      this.localModel = model;
      await this.host.sendIq(transportInfo(this.remote, this.sid, model.contents.map((c) => ({ ...c, transport: { ...c.transport, candidates: [] } }))));
    } else if (this.pc.signalingState === 'have-local-offer') {
      for (const c of remote.contents) if (c.transport.fingerprint?.setup === 'actpass') c.transport.fingerprint.setup = 'active';
      await this.pc.setRemoteDescription({ type: 'answer', sdp: toSdp(remote, { author: 'responder', version: Date.now() % 1e9 }) });
    }
  }

  /** Our description as a Jingle model, with the candidates gathered so far inside it. */
  takeLocalModel(author: Role): SessionModel {
    const model = parseSdp(this.pc.localDescription!.sdp, { author, creator: 'initiator' });
    for (const c of model.contents) c.transport.candidates = [];
    // With BUNDLE every candidate belongs to the first content's transport.
    const first = model.contents[0];
    for (const h of this.held) {
      const target = model.contents.find((c) => c.name === h.mid) ?? first;
      target?.transport.candidates.push(h.c);
    }
    this.held = [];
    this.localModel = model;
    return model;
  }

  private sendCandidates(list: { mid: string; c: Candidate }[]) {
    const model = this.localModel;
    if (!model) return;
    const byMid = new Map<string, Candidate[]>();
    for (const { mid, c } of list) byMid.set(mid, [...(byMid.get(mid) ?? []), c]);
    const contents = [...byMid].map(([mid, cands]) => {
      const content = model.contents.find((c) => c.name === mid) ?? model.contents[0]!;
      return { name: content.name, creator: content.creator, transport: { ufrag: content.transport.ufrag, pwd: content.transport.pwd, candidates: cands } };
    });
    void this.host.sendIq(transportInfo(this.remote, this.sid, contents));
  }

  private async addRemoteCandidates(req: JingleRequest) {
    for (const content of req.model.contents) {
      for (const c of content.transport.candidates) {
        if (!this.pc.remoteDescription) this.early.push({ mid: content.name, c });
        else await this.addCandidate(content.name, c);
      }
    }
  }

  private async addCandidate(mid: string, c: Candidate) {
    const mids = this.remoteModel?.contents.map((x) => x.name) ?? [];
    const sdpMid = mids.includes(mid) ? mid : mids[0] ?? mid;
    await this.pc.addIceCandidate({ candidate: sdpCandidate(c), sdpMid }).catch((e) => console.warn('cc-call: candidate refused', e));
  }

  async applyRemote(type: 'offer' | 'answer', model: SessionModel) {
    this.remoteModel = model;
    for (const c of model.contents) if (c.transport.ufrag) this.remoteUfrags.add(c.transport.ufrag);
    if (type === 'answer') {
      // Interop: an answer must take a DTLS role; treat a (wrong) actpass as active.
      for (const c of model.contents) if (c.transport.fingerprint?.setup === 'actpass') c.transport.fingerprint.setup = answerSetup('actpass');
    }
    const sdp = toSdp(model, { author: type === 'offer' ? 'initiator' : 'responder' });
    await this.pc.setRemoteDescription({ type, sdp });
    const early = this.early;
    this.early = [];
    for (const e of early) await this.addCandidate(e.mid, e.c);
    for (const content of model.contents) {
      for (const c of content.transport.candidates) await this.addCandidate(content.name, c);
    }
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.disconnectTimer);
    clearTimeout(this.retryTimer);
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.stream?.getTracks().forEach((t) => t.stop());
  }
}
