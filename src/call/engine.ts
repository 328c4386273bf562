// The call engine of one session: JMI ringing, Jingle sessions, RTCPeerConnections and local media.
// Headless (no rendering): elements call its actions and render its store. One engine per session,
// shared by every cc-call on the page that uses that account.
import type { Session } from '../core/session.js';
import type { Element } from '../core/xmpp.js';
import { parseIceAttribute, parseServices, servicesRequest, type IceServer } from './extdisco.js';
import { bareOf, buildJmi, enableCarbons, parseJmi, type JmiMessage } from '../core/protocol/jmi.js';
import {
  jingleError, parseJingleIq, sessionAccept, sessionInfo, sessionInitiate, sessionTerminate,
  type JingleRequest,
} from './jingle-session.js';
import { errorText, localMedia } from './media.js';
import { Peer } from './peer.js';
import { QualityMeter } from './quality.js';
import { JNS, type Role } from './sdp-jingle.js';
import { createCallStore, isLive, type CallView, type EndReason, type RemoteParticipant } from './store.js';
import { queryArchive } from '../core/archive.js';
import { stillProposed } from './proposed.js';
import { RoomCall, type RoomCallHost } from './room.js';

export interface CallOptions {
  /** Extra ICE servers (the `ice` attribute). */
  ice?: string;
  /** `relay` forces TURN (tests, privacy). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** How long an outgoing call rings before it is given up, in ms (default 60 s). */
  answerTimeout?: number;
}

const DEFAULT_ANSWER_TIMEOUT = 60_000;
const STATS_INTERVAL = 2000;

type Pending = { kind: 'jmi'; msg: JmiMessage } | { kind: 'initiate'; req: JingleRequest };

const jmiKey = (m: JmiMessage) => `jmi ${m.carbon ?? ''} ${m.from} ${m.action} ${m.id}`;

/** The engine of a session, created on first use and shared. */
export function callEngineFor(session: Session): CallEngine {
  const key = Symbol.for('cc.call-engine');
  const holder = session as unknown as Record<symbol, CallEngine | undefined>;
  return (holder[key] ??= new CallEngine(session));
}

export class CallEngine implements RoomCallHost {
  readonly $call = createCallStore();
  private readonly peers = new Map<string, Peer>();
  private local: MediaStream | null = null;
  private audioTrack: MediaStreamTrack | null = null;
  private cameraTrack: MediaStreamTrack | null = null;
  private screenTrack: MediaStreamTrack | null = null;
  private pending?: Pending;
  private options: CallOptions = {};
  private ringers = 0;
  private answerTimer?: ReturnType<typeof setTimeout>;
  private statsTimer?: ReturnType<typeof setInterval>;
  private iceCache?: { at: number; servers: IceServer[] };
  private room?: RoomCall;
  /** Stanzas that could not be sent while offline; flushed when the session is back. */
  private outbox: Element[] = [];
  private deviceIds: { audio?: string; video?: string } = {};

  constructor(readonly session: Session) {
    const conn = session.connection;
    conn.onStanza((s) => this.onStanza(s));
    // Through the IQ router: the transport answers unrouted IQs with service-unavailable.
    conn.onIq('set', JNS.jingle, 'jingle', (iq) => this.onJingle(iq));
    conn.onOnline(() => this.onOnline());
    if (conn.online) void this.onOnline();
    if (typeof window !== 'undefined') window.addEventListener('online', () => {
      this.moved = true;
      this.networkChanged();
    });
  }

  get conn() {
    return this.session.connection;
  }

  get memberships() {
    return this.session.memberships;
  }

  /** PeerHost: whether signalling can go out now. */
  get online() {
    return this.conn.online;
  }

  configure(o: CallOptions) {
    this.options = { ...this.options, ...o };
  }

  /** An element that rings for incoming calls; returns the undo. */
  addRinger(): () => void {
    this.ringers++;
    let done = false;
    return () => {
      if (!done) this.ringers--;
      done = true;
    };
  }

  private async onOnline() {
    await this.conn.request(enableCarbons()).catch(() => {});
    const out = this.outbox;
    this.outbox = [];
    for (const s of out) await this.send(s);
    // Media paths may have changed with the network that dropped the stream.
    this.networkChanged();
  }

  /** The browser came back online, maybe on another network, since sessions last restarted. */
  private moved = false;

  private networkChanged() {
    // On a new network the path ICE holds may be dead without it knowing yet: connected sessions
    // restart too, once signalling is up to carry the restart (the socket often dropped as well).
    const moved = this.moved && this.online;
    this.moved &&= !moved;
    for (const p of this.peers.values()) {
      const s = p.pc.connectionState;
      if (s === 'failed' || s === 'disconnected' || (moved && s === 'connected')) void p.restartIce(moved);
    }
  }

  async send(s: Element) {
    try {
      await this.conn.send(s);
      this.session.callLog.sent(s);
    } catch {
      this.outbox.push(s);
    }
  }

  async sendIq(iq: Element): Promise<Element | null> {
    try {
      return await this.conn.request(iq);
    } catch (e) {
      if (!this.conn.online) this.outbox.push(iq);
      else console.warn('cc-call: request failed', e);
      return null;
    }
  }

  // ---------------------------------------------------------------- actions

  /** Calls `jid` (ringing all its devices with XEP-0353), or joins the room call of `room`. */
  async call(jid: string, opts: { video?: boolean; room?: boolean } = {}): Promise<void> {
    if (isLive(this.$call.get())) throw new Error('already in a call');
    if (!this.conn.online) throw new Error('not connected');
    const video = !!opts.video;
    const id = crypto.randomUUID();
    if (opts.room) return this.joinRoom(bareOf(jid), id, video);
    const peer = bareOf(jid);
    this.$call.set(this.view({ id, direction: 'out', peer, video, state: 'ringing' }));
    const notice = await this.acquireMedia(video);
    if (!this.isCurrent(id)) return this.releaseMedia();
    const p = await this.createPeer(id, peer, 'initiator', peer);
    this.attachLocal(p, video);
    await p.pc.setLocalDescription(await p.pc.createOffer());
    if (!this.isCurrent(id)) return;
    this.update({ local: this.local, notice });
    await this.send(buildJmi('propose', peer, id, { media: video ? ['audio', 'video'] : ['audio'] }));
    this.answerTimer = setTimeout(() => {
      if (this.$call.get()?.id !== id || this.$call.get()?.state !== 'ringing') return;
      void this.send(buildJmi('retract', peer, id, { reason: 'timeout' }));
      this.end('timeout');
    }, this.options.answerTimeout ?? DEFAULT_ANSWER_TIMEOUT);
  }

  async accept(opts: { video?: boolean } = {}): Promise<void> {
    const v = this.$call.get();
    const pending = this.pending;
    if (!v || v.state !== 'ringing' || v.direction !== 'in' || !pending) return;
    this.pending = undefined;
    clearTimeout(this.answerTimer);
    const video = opts.video ?? v.video;
    this.update({ state: 'connecting' });
    const notice = await this.acquireMedia(video);
    if (!this.isCurrent(v.id)) return this.releaseMedia();
    this.update({ local: this.local, notice });
    if (pending.kind === 'jmi') {
      // The caller answers our proceed with a session-initiate (handled in onJingle).
      this.pending = pending;
      await this.send(buildJmi('proceed', pending.msg.from, v.id));
    } else {
      await this.answer(pending.req);
    }
  }

  async decline(): Promise<void> {
    const v = this.$call.get();
    if (!v || v.state !== 'ringing' || v.direction !== 'in') return;
    const p = this.pending;
    this.pending = undefined;
    if (p?.kind === 'jmi') await this.send(buildJmi('reject', p.msg.from, v.id, { reason: 'decline' }));
    else if (p?.kind === 'initiate') await this.sendIq(sessionTerminate(p.req.from, p.req.sid, 'decline'));
    this.end('declined');
  }

  /**
   * Accept or Decline on a call notification, for a call from `peer`: acts on the call ringing here;
   * else on one the archive shows still proposed (the page was opened after the propose went to a
   * stream that is gone) or one that rings within `waitMs`. Resolves with whether it found the call.
   */
  async answerFromPush(peer: string, accept: boolean, waitMs = 30_000): Promise<boolean> {
    const from = bareOf(peer);
    const ringing = () => {
      const v = this.$call.get();
      return v?.state === 'ringing' && v.direction === 'in' && v.peer === from;
    };
    if (!ringing() && await this.until(() => this.conn.online || ringing(), waitMs) && !ringing()) {
      const { items } = await queryArchive(this.conn, { with: from, before: '', max: 20 }).catch(() => ({ items: [] }));
      const m = stillProposed(items, { bare: this.conn.bare, full: this.conn.jid }, from, Date.now(), this.options.answerTimeout ?? DEFAULT_ANSWER_TIMEOUT);
      // Through the live path, so a copy of the same propose arriving later does not ring again.
      if (m && this.firstTime(jmiKey(m))) await this.onJmi(m);
    }
    if (!(await this.until(ringing, waitMs))) return false;
    await (accept ? this.accept() : this.decline());
    return true;
  }

  /** Resolves true once `check` holds (tested on call and connection changes), false after `ms`. */
  private until(check: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const offs: (() => void)[] = [];
      const done = (v: boolean) => {
        clearTimeout(timer);
        offs.forEach((f) => f());
        resolve(v);
      };
      const timer = setTimeout(() => done(false), ms);
      const test = () => { if (check()) done(true); };
      offs.push(this.$call.listen(test), this.conn.$state.listen(test));
      test();
    });
  }

  async hangup(): Promise<void> {
    const v = this.$call.get();
    if (!isLive(v)) return;
    if (v.direction === 'in' && v.state === 'ringing') return this.decline();
    if (this.room) {
      const r = this.room;
      this.room = undefined;
      for (const p of this.peers.values()) if (p.signalled) void this.sendIq(sessionTerminate(p.remote, p.sid, 'success'));
      await r.leave();
      return this.end('hangup');
    }
    const [p] = this.peers.values();
    if (v.direction === 'out' && (!p || !p.signalled)) {
      await this.send(buildJmi('retract', v.peer, v.id, { reason: 'cancel' }));
    } else if (p) {
      await this.sendIq(sessionTerminate(p.remote, p.sid, 'success'));
      await this.send(buildJmi('finish', p.remote, v.id, { reason: 'success' }));
    } else if (this.pending?.kind === 'jmi') {
      // We proceeded but the session never started.
      await this.send(buildJmi('reject', this.pending.msg.from, v.id, { reason: 'cancel' }));
    }
    this.end('hangup');
  }

  toggleMute(): void {
    const v = this.$call.get();
    if (!isLive(v)) return;
    const muted = !v.muted;
    if (this.audioTrack) this.audioTrack.enabled = !muted;
    // Replacing the track with nothing stops the packets, not just the sound.
    for (const p of this.peers.values()) {
      const sender = this.senderOf(p, 'audio');
      void sender?.replaceTrack(muted ? null : this.audioTrack);
      const name = this.contentName(p, 'audio');
      if (p.signalled) void this.sendIq(sessionInfo(p.remote, p.sid, muted ? 'mute' : 'unmute', name));
    }
    this.update({ muted });
  }

  async toggleCamera(): Promise<void> {
    const v = this.$call.get();
    if (!isLive(v)) return;
    const off = !v.cameraOff;
    if (off) {
      this.cameraTrack?.stop();
      if (this.cameraTrack) this.local?.removeTrack(this.cameraTrack);
      this.cameraTrack = null;
      if (!this.screenTrack) for (const p of this.peers.values()) void this.senderOf(p, 'video')?.replaceTrack(null);
      this.update({ cameraOff: true, local: this.refreshLocal() });
      return;
    }
    try {
      const s = await navigator.mediaDevices.getUserMedia({ video: this.deviceIds.video ? { deviceId: { exact: this.deviceIds.video } } : true });
      this.cameraTrack = s.getVideoTracks()[0] ?? null;
    } catch (e) {
      this.update({ notice: `Camera unavailable: ${errorText(e)}` });
      return;
    }
    if (this.cameraTrack) this.local?.addTrack(this.cameraTrack);
    if (!this.screenTrack) for (const p of this.peers.values()) await this.senderOf(p, 'video')?.replaceTrack(this.cameraTrack);
    this.update({ cameraOff: false, video: true, local: this.refreshLocal() });
  }

  /** Shares the screen in place of the camera; reverts when sharing stops (here or in the browser UI). */
  async toggleScreenShare(): Promise<void> {
    const v = this.$call.get();
    if (!isLive(v)) return;
    if (this.screenTrack) return this.stopSharing();
    const anyVideo = [...this.peers.values()].some((p) => this.senderOf(p, 'video'));
    if (!anyVideo) {
      this.update({ notice: 'Screen sharing needs a video call' });
      return;
    }
    let track: MediaStreamTrack | undefined;
    try {
      const s = await navigator.mediaDevices.getDisplayMedia({ video: true });
      track = s.getVideoTracks()[0];
    } catch (e) {
      this.update({ notice: `Screen sharing was not started: ${errorText(e)}` });
      return;
    }
    if (!track) return;
    this.screenTrack = track;
    track.addEventListener('ended', () => void this.stopSharing());
    for (const p of this.peers.values()) await this.senderOf(p, 'video')?.replaceTrack(track);
    this.update({ sharing: true, local: this.refreshLocal() });
  }

  private async stopSharing() {
    const t = this.screenTrack;
    if (!t) return;
    this.screenTrack = null;
    // Swap first, stop after: the other side gets no gap without pictures.
    for (const p of this.peers.values()) await this.senderOf(p, 'video')?.replaceTrack(this.cameraTrack);
    t.stop();
    if (isLive(this.$call.get())) this.update({ sharing: false, local: this.refreshLocal() });
  }

  /** Switches the microphone or camera; takes effect at once in a call. */
  async useDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    this.deviceIds[kind] = deviceId || undefined;
    const v = this.$call.get();
    if (!isLive(v) || !this.local) return;
    if (kind === 'video' && (v.cameraOff || !this.cameraTrack)) return;
    try {
      const s = await navigator.mediaDevices.getUserMedia(kind === 'audio'
        ? { audio: deviceId ? { deviceId: { exact: deviceId } } : true }
        : { video: deviceId ? { deviceId: { exact: deviceId } } : true });
      const track = (kind === 'audio' ? s.getAudioTracks() : s.getVideoTracks())[0];
      if (!track) return;
      const old = kind === 'audio' ? this.audioTrack : this.cameraTrack;
      if (kind === 'audio') {
        this.audioTrack = track;
        track.enabled = !v.muted;
        if (!v.muted) for (const p of this.peers.values()) await this.senderOf(p, 'audio')?.replaceTrack(track);
      } else {
        this.cameraTrack = track;
        if (!this.screenTrack) for (const p of this.peers.values()) await this.senderOf(p, 'video')?.replaceTrack(track);
      }
      // The old device goes only once the senders have the new one: no gap on the other side.
      old?.stop();
      if (old) this.local.removeTrack(old);
      this.local.addTrack(track);
      this.update({ local: this.refreshLocal() });
    } catch (e) {
      this.update({ notice: `Could not switch device: ${errorText(e)}` });
    }
  }

  /** getStats() of every peer connection of the current call. */
  async stats(): Promise<RTCStatsReport[]> {
    return Promise.all([...this.peers.values()].map((p) => p.pc.getStats()));
  }

  // ---------------------------------------------------------------- incoming stanzas

  private onStanza(s: Element): boolean {
    if (!s.is('message')) return false;
    const msg = parseJmi(s, this.conn.bare, this.conn.jid);
    if (!msg) return false;
    if (!this.firstTime(jmiKey(msg))) return true;
    void this.onJmi(msg);
    return true;
  }

  /**
   * A resumed stream (XEP-0198) replays what we had not acknowledged yet, so the same propose or
   * session-accept can arrive twice; acting twice would ring again or break the session.
   */
  private firstTime(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > 500) this.seen.delete(this.seen.values().next().value!);
    return true;
  }

  private readonly seen = new Set<string>();

  private async onJmi(m: JmiMessage) {
    const v = this.$call.get();
    const own = this.conn.bare;
    const fromSelf = bareOf(m.from) === own;
    const sameCall = v?.id === m.id;
    // Our other device acted on a call that rings here.
    if ((m.carbon === 'sent' || (fromSelf && m.from !== this.conn.jid)) && sameCall && v?.direction === 'in' && v.state === 'ringing') {
      if (m.action === 'proceed' || m.action === 'accept') return this.end('answered-elsewhere');
      if (m.action === 'reject') return this.end('declined-elsewhere');
    }
    if (m.carbon === 'sent' || fromSelf) return;
    switch (m.action) {
      case 'propose': {
        if (isLive(v)) {
          if (v.id !== m.id) await this.send(buildJmi('reject', m.from, m.id, { reason: 'busy' }));
          return;
        }
        if (this.ringers <= 0) return;
        this.pending = { kind: 'jmi', msg: m };
        this.$call.set(this.view({ id: m.id, direction: 'in', peer: bareOf(m.from), video: m.media.includes('video'), state: 'ringing' }));
        await this.send(buildJmi('ringing', m.from, m.id));
        this.startIncomingTimeout(m.id);
        return;
      }
      case 'retract':
        if (sameCall && v?.direction === 'in' && v.state === 'ringing') this.end(m.reason === 'timeout' ? 'missed' : 'cancelled');
        return;
      case 'ringing':
        if (sameCall && v?.direction === 'out') this.update({ remoteRinging: true });
        return;
      case 'proceed':
        if (sameCall && v?.direction === 'out' && v.state === 'ringing') await this.onProceed(m);
        return;
      case 'reject':
        if (sameCall && v?.direction === 'out' && isLive(v) && ![...this.peers.values()].some((p) => p.signalled)) {
          this.end(m.reason === 'busy' ? 'busy' : 'declined');
        }
        return;
      case 'finish':
        if (sameCall && isLive(v)) this.end('remote-hangup');
        return;
    }
  }

  private startIncomingTimeout(id: string) {
    clearTimeout(this.answerTimer);
    // The caller retracts after its own timeout; this is the safety net if that never arrives.
    this.answerTimer = setTimeout(() => {
      const v = this.$call.get();
      if (v?.id === id && v.state === 'ringing') this.end('missed');
    }, (this.options.answerTimeout ?? DEFAULT_ANSWER_TIMEOUT) + 5000);
  }

  private async onProceed(m: JmiMessage) {
    clearTimeout(this.answerTimer);
    const p = this.peers.get(m.id);
    if (!p) return;
    p.remote = m.from;
    this.update({ state: 'connecting' });
    p.signalled = true;
    const model = p.takeLocalModel('initiator');
    const reply = await this.sendIq(sessionInitiate(m.from, m.id, this.conn.jid, model));
    if (!reply && this.isCurrent(m.id)) this.end('failed');
  }

  private async onJingle(iq: Element): Promise<Element | true> {
    const req = parseJingleIq(iq);
    if (!req) return jingleError('bad-request');
    // Answered already (the first copy's result may be what got lost): acknowledge, do nothing.
    if (!this.firstTime(`iq ${req.from} ${req.id}`)) return true;
    if (req.action === 'session-initiate') {
      void this.onInitiate(req);
      return true;
    }
    if (this.room && this.room.owns(req.from) && !this.peers.has(req.sid)) return jingleError('item-not-found', 'unknown-session');
    const p = this.peers.get(req.sid);
    if (!p || p.remote !== req.from) return jingleError('item-not-found', 'unknown-session');
    switch (req.action) {
      case 'session-accept':
        void p.applyRemote('answer', req.model).then(() => this.peersChanged()).catch((e) => this.fail(e));
        break;
      case 'transport-info':
        void p.onTransportInfo(req).catch((e) => console.warn('cc-call: transport-info failed', e));
        break;
      case 'session-terminate':
        if (this.room) this.dropPeer(p);
        else this.end(req.reason === 'busy' ? 'busy' : req.reason === 'decline' ? 'declined' : 'remote-hangup');
        break;
      case 'session-info':
        break;
      default:
        return jingleError('feature-not-implemented');
    }
    return true;
  }

  private async onInitiate(req: JingleRequest) {
    const v = this.$call.get();
    if (this.room?.owns(req.from)) {
      if (this.room.accepting(req.from)) await this.answer(req);
      else await this.sendIq(sessionTerminate(req.from, req.sid, 'decline'));
      return;
    }
    // The session we proceeded to (XEP-0353): answer it at once.
    if (v && v.id === req.sid && v.direction === 'in' && this.pending?.kind === 'jmi' && this.pending.msg.from === req.from) {
      this.pending = undefined;
      if (v.state === 'connecting') await this.answer(req);
      return;
    }
    if (isLive(v)) {
      await this.sendIq(sessionTerminate(req.from, req.sid, 'busy'));
      return;
    }
    if (this.ringers <= 0) {
      await this.sendIq(sessionTerminate(req.from, req.sid, 'decline'));
      return;
    }
    // A plain Jingle call without message initiation rings like any other.
    this.pending = { kind: 'initiate', req };
    this.$call.set(this.view({ id: req.sid, direction: 'in', peer: bareOf(req.from), video: req.model.contents.some((c) => c.media === 'video'), state: 'ringing' }));
    await this.sendIq(sessionInfo(req.from, req.sid, 'ringing'));
    this.startIncomingTimeout(req.sid);
  }

  /** Answers a session-initiate with our media. */
  private async answer(req: JingleRequest) {
    const v = this.$call.get();
    if (!v) return;
    const name = this.room ? this.room.nameOf(req.from) : bareOf(req.from);
    const p = await this.createPeer(req.sid, req.from, 'responder', name);
    try {
      await p.applyRemote('offer', req.model);
      for (const t of p.pc.getTransceivers()) {
        const kind = t.receiver.track.kind as 'audio' | 'video';
        const track = kind === 'audio' ? (v.muted ? null : this.audioTrack) : (this.screenTrack ?? this.cameraTrack);
        const have = kind === 'audio' ? this.audioTrack : this.cameraTrack;
        if (have || (kind === 'video' && this.screenTrack)) {
          await t.sender.replaceTrack(track);
          if (this.local) t.sender.setStreams(this.local);
          t.direction = 'sendrecv';
        } else {
          t.direction = 'recvonly';
        }
      }
      await p.pc.setLocalDescription(await p.pc.createAnswer());
      p.signalled = true;
      const model = p.takeLocalModel('responder');
      const ok = await this.sendIq(sessionAccept(req.from, req.sid, this.conn.jid, model));
      if (!ok && !this.room) this.end('failed');
    } catch (e) {
      this.fail(e);
    }
  }

  // ---------------------------------------------------------------- room calls (mesh)

  private async joinRoom(room: string, id: string, video: boolean) {
    this.$call.set(this.view({ id, direction: 'out', peer: room, room, video, state: 'connecting' }));
    const notice = await this.acquireMedia(video);
    if (!this.isCurrent(id)) return this.releaseMedia();
    this.update({ local: this.local, notice });
    const rc = new RoomCall(this, room, this.session.config.nick ?? this.conn.bare.split('@')[0]!, video);
    this.room = rc;
    let result;
    try {
      result = await rc.join();
    } catch (e) {
      // Not let in (members-only, banned, no answer): say so instead of connecting forever.
      if (this.room === rc) this.room = undefined;
      if (this.isCurrent(id)) {
        this.update({ notice: `Could not join the call: ${errorText(e)}` });
        this.end('failed');
      }
      return;
    }
    if (!this.isCurrent(id)) return;
    if (result.full) {
      this.room = undefined;
      await rc.leave();
      this.update({ notice: `This call already has ${result.count} participants; calls in a room are limited to 4.` });
      return this.end('full');
    }
    this.update({ state: 'active', startedAt: Date.now() });
    for (const occupant of result.inCall) this.occupantInCall(occupant);
  }

  /** RoomCallHost: someone is in the room's call; if this pair's session is ours to start, start it. */
  occupantInCall(occupant: string) {
    const v = this.$call.get();
    if (isLive(v) && this.room?.claim(occupant)) void this.callOccupant(occupant, v.video);
  }

  private async callOccupant(occupant: string, video: boolean) {
    const sid = crypto.randomUUID();
    const p = await this.createPeer(sid, occupant, 'initiator', this.room?.nameOf(occupant) ?? occupant);
    this.attachLocal(p, video);
    await p.pc.setLocalDescription(await p.pc.createOffer());
    await new Promise((r) => setTimeout(r, 0));
    p.signalled = true;
    const reply = await this.sendIq(sessionInitiate(occupant, sid, this.conn.jid, p.takeLocalModel('initiator')));
    if (!reply) this.dropPeer(p);
  }

  /** RoomCallHost: an occupant left the room or the call. */
  occupantLeft(occupant: string) {
    for (const p of this.peers.values()) if (p.remote === occupant) this.dropPeer(p);
  }

  private dropPeer(p: Peer) {
    p.close();
    this.peers.delete(p.sid);
    this.peersChanged();
  }

  // ---------------------------------------------------------------- internals

  private isCurrent(id: string) {
    const v = this.$call.get();
    return v?.id === id && isLive(v);
  }

  private view(v: Pick<CallView, 'id' | 'direction' | 'peer' | 'video' | 'state'> & Partial<CallView>): CallView {
    return { remoteRinging: false, local: null, remotes: [], muted: false, cameraOff: false, sharing: false, quality: 'unknown', ...v };
  }

  private update(patch: Partial<CallView>) {
    const v = this.$call.get();
    if (v) this.$call.set({ ...v, ...patch });
  }

  private async iceServers(): Promise<IceServer[]> {
    const extra = parseIceAttribute(this.options.ice);
    if (this.iceCache && Date.now() - this.iceCache.at < 5 * 60_000) return [...extra, ...this.iceCache.servers];
    let servers: IceServer[] = [];
    try {
      const domain = this.conn.bare.split('@')[1]!;
      servers = parseServices(await this.conn.request(servicesRequest(domain), 3000));
      this.iceCache = { at: Date.now(), servers };
    } catch {
      // No XEP-0215 on this server: direct and STUN-less paths only.
    }
    return [...extra, ...servers];
  }

  private async createPeer(sid: string, remote: string, role: Role, name: string): Promise<Peer> {
    const iceServers = await this.iceServers();
    const p = new Peer(this, sid, remote, role, name, { iceServers, iceTransportPolicy: this.options.iceTransportPolicy ?? 'all' });
    this.peers.set(sid, p);
    this.startStats();
    return p;
  }

  private attachLocal(p: Peer, video: boolean) {
    const streams = this.local ? [this.local] : [];
    p.pc.addTransceiver(this.audioTrack ?? 'audio', { direction: this.audioTrack ? 'sendrecv' : 'recvonly', streams });
    if (video) {
      const vt = this.screenTrack ?? this.cameraTrack;
      p.pc.addTransceiver(vt ?? 'video', { direction: vt || this.cameraTrack === null ? (vt ? 'sendrecv' : 'recvonly') : 'recvonly', streams });
    }
  }

  private senderOf(p: Peer, kind: 'audio' | 'video'): RTCRtpSender | undefined {
    return p.pc.getTransceivers().find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped')?.sender;
  }

  private contentName(p: Peer, kind: 'audio' | 'video') {
    return p.localModel?.contents.find((c) => c.media === kind)?.name;
  }

  /** Gets the microphone (and camera), falling back to what the user allows, with a notice. */
  private async acquireMedia(video: boolean): Promise<string | undefined> {
    const { stream, notice } = await localMedia(video, this.deviceIds);
    this.local = stream;
    this.audioTrack = stream.getAudioTracks()[0] ?? null;
    this.cameraTrack = stream.getVideoTracks()[0] ?? null;
    return notice;
  }

  private refreshLocal(): MediaStream {
    // A new stream object, so renderers notice the change of tracks.
    const tracks = [this.audioTrack, this.screenTrack ?? this.cameraTrack].filter((t): t is MediaStreamTrack => !!t);
    this.local = new MediaStream(tracks);
    return this.local;
  }

  private releaseMedia() {
    for (const t of [this.audioTrack, this.cameraTrack, this.screenTrack, ...(this.local?.getTracks() ?? [])]) t?.stop();
    this.audioTrack = this.cameraTrack = this.screenTrack = null;
  }

  /** RoomCallHost + peers: re-derive the participants shown. */
  peersChanged() {
    const v = this.$call.get();
    if (!isLive(v)) return;
    const remotes: RemoteParticipant[] = [...this.peers.values()].map((p) => ({
      jid: p.remote, name: p.name, stream: p.stream, connection: p.pc.connectionState,
    }));
    const patch: Partial<CallView> = { remotes };
    if (!v.room && v.state === 'connecting' && remotes.some((r) => r.connection === 'connected')) {
      patch.state = 'active';
      patch.startedAt = Date.now();
    }
    if (!v.room && v.state !== 'ringing' && remotes.length && remotes.every((r) => r.connection === 'closed')) return this.end('failed');
    this.update(patch);
  }

  private startStats() {
    if (this.statsTimer) return;
    this.statsTimer = setInterval(() => void this.sampleStats(), STATS_INTERVAL);
  }

  private readonly quality = new QualityMeter();

  private async sampleStats() {
    const v = this.$call.get();
    if (!isLive(v) || v.state !== 'active') return;
    const q = await this.quality.sample([...this.peers.values()]);
    if (q !== v.quality && this.$call.get() === v) this.update({ quality: q });
  }

  private fail(e: unknown) {
    console.warn('cc-call: call failed', e);
    if (isLive(this.$call.get())) {
      this.update({ notice: `The call failed: ${errorText(e)}` });
      for (const p of this.peers.values()) if (p.signalled) void this.sendIq(sessionTerminate(p.remote, p.sid, 'failed-application'));
      this.end('failed');
    }
  }

  /** Ends the current call here: every peer connection closed, every local track stopped. */
  private end(reason: EndReason) {
    const v = this.$call.get();
    if (!isLive(v)) return;
    clearTimeout(this.answerTimer);
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    this.pending = undefined;
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
    this.quality.reset();
    this.releaseMedia();
    if (this.room) {
      const r = this.room;
      this.room = undefined;
      void r.leave();
    }
    this.$call.set({ ...v, state: 'ended', reason, endedAt: Date.now(), remotes: v.remotes.map((r) => ({ ...r, connection: 'closed' })) });
  }
}
