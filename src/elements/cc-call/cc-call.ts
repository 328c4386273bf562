import { html, nothing, type PropertyValues } from 'lit';
import { callEngineFor, type CallEngine } from '../../call/engine.js';
import { durationOf, type CallView, type EndReason, type RemoteParticipant } from '../../call/store.js';
import type { Session } from '../../core/session.js';
import { CcElement } from '../base.js';
import { t } from '../i18n.js';
import { avatar } from '../ui/avatar.js';
import { callStyles } from './styles.js';
import { TonePlayer } from './tones.js';

const endedText = (r: EndReason, l: string) => ({
  hangup: () => t(l, 'Call ended'), 'remote-hangup': () => t(l, 'The other side hung up'), declined: () => t(l, 'Call declined'),
  busy: () => t(l, 'Busy: already in another call'), timeout: () => t(l, 'No answer'), cancelled: () => t(l, 'Call cancelled'),
  missed: () => t(l, 'Missed call'), 'answered-elsewhere': () => t(l, 'Answered on another device'),
  'declined-elsewhere': () => t(l, 'Declined on another device'), failed: () => t(l, 'The call could not be connected'),
  full: () => t(l, 'This call is full'), error: () => t(l, 'Call error'),
})[r]();

const qualityText = (q: string, l: string) => q === 'good' ? t(l, 'good') : q === 'fair' ? t(l, 'fair') : q === 'poor' ? t(l, 'poor') : '…';

const onOff = { fromAttribute: (v: string | null) => v === null || !/^(false|off|no|0)$/i.test(v), toAttribute: (v: boolean) => (v ? '' : 'false') };

/**
 * Audio and video calls over XMPP: Jingle with message initiation, so every device of the callee
 * rings; group calls in a room as a small mesh.
 *
 * @tag cc-call
 * @fires {CustomEvent<CcCallIncomingDetail>} cc-call-incoming - A call is ringing here. detail: `{ from, video }`
 * @fires {CustomEvent<CcCallStateDetail>} cc-call-state - detail: `{ state: 'ringing' | 'connecting' | 'active' | 'ended' }`
 * @fires {CustomEvent<CcCallEndedDetail>} cc-call-ended - detail: `{ reason, duration }` (duration in seconds of the connected call)
 * @fires {CustomEvent<CcReadyDetail>} cc-ready - The session is online. detail: `{ jid }`
 * @fires {CustomEvent<CcConnectionChangeDetail>} cc-connection-change - detail: `{ state: 'connecting' | 'online' | 'offline' | 'error' }`
 * @fires {CustomEvent<CcErrorDetail>} cc-error - Configuration, login or connection problem. detail: `{ code, message, attribute? }`
 * @csspart panel - The call panel.
 * @csspart incoming - The incoming-call dialog.
 * @csspart avatar - The caller's picture (or initials) in the incoming-call dialog.
 * @csspart stage - The video area (remote tiles and the local preview).
 * @csspart remote - One remote participant's tile.
 * @csspart local - The local preview.
 * @csspart controls - The in-call buttons.
 * @csspart notice - A message about media fallback or a refused call.
 * @csspart error - The error box.
 * @cssprop --cc-accent - Accent colour.
 * @cssprop --cc-bg - Background colour.
 * @cssprop --cc-fg - Text colour.
 * @cssprop --cc-muted - Secondary text.
 * @cssprop --cc-border - Border colour.
 * @cssprop --cc-radius - Corner radius.
 * @cssprop --cc-font - Font family.
 * @cssprop --cc-ok - Colour of the accept button and good network quality.
 * @cssprop --cc-stage - Background of the video area.
 * @cssprop --cc-danger - Colour of the hang-up button.
 * @cssprop --cc-call-width - Width of the docked panel.
 * @cssprop --cc-z-index - Stacking level in full screen.
 * @cssprop --cc-call-stage-max-height - Cap on the video area's height when docked (not in full screen).
 */
export class CcCall extends CcElement {
  static override styles = callStyles;

  static override properties = {
    with: {},
    room: {},
    video: { type: Boolean },
    ring: { converter: onOff, reflect: false },
    ice: {},
    iceTransportPolicy: { attribute: 'ice-transport-policy' },
    answerTimeout: { type: Number, attribute: 'answer-timeout' },
    full: { attribute: false },
    devices: { attribute: false },
    dismissed: { attribute: false },
  };
  /** JID to call (or the peer of the current 1:1 call). */
  with?: string;
  /** Group call in this room. */
  room?: string;
  /** Start with the camera on. */
  video = false;
  /** Ring for incoming calls (default on; `ring="false"` turns it off). */
  ring = true;
  /** Extra STUN/TURN URLs, space-separated (normally discovered with XEP-0215). */
  ice?: string;
  /** `relay` sends media only through TURN. */
  iceTransportPolicy: RTCIceTransportPolicy = 'all';
  /** Seconds an outgoing call rings before it counts as unanswered (default 60). */
  answerTimeout = 60;

  private full = false;
  private devices: MediaDeviceInfo[] = [];
  private dismissed?: string;
  private engine?: CallEngine;
  private gotEngine?: (e: CallEngine) => void;
  private unring?: () => void;
  private last?: CallView | null;
  private tones = new TonePlayer();
  private clock?: ReturnType<typeof setInterval>;
  private sinkId = '';

  /** Calls `jid` (default: the `with` attribute); with `room: true`, joins the group call of room `jid`. */
  async call(jid = this.with, opts: { video?: boolean; room?: boolean } = {}): Promise<void> {
    if (!this.engine) return;
    try {
      if (opts.room && jid) await this.engine.call(jid, { video: opts.video ?? this.video, room: true });
      else if (this.room && !jid) await this.engine.call(this.room, { video: opts.video ?? this.video, room: true });
      else if (jid) await this.engine.call(jid, { video: opts.video ?? this.video });
    } catch (e) {
      this.emit('cc-error', { code: 'call', message: String((e as Error).message ?? e) });
    }
  }

  /** Joins the call of the `room` attribute. */
  joinRoom(opts: { video?: boolean } = {}) {
    return this.room ? this.engine?.call(this.room, { video: opts.video ?? this.video, room: true }) : Promise.resolve();
  }

  /** Answers the ringing incoming call. */
  accept(): Promise<void> { return this.engine?.accept() ?? Promise.resolve(); }
  /** Declines the ringing incoming call (the caller sees it declined). */
  decline(): Promise<void> { return this.engine?.decline() ?? Promise.resolve(); }
  /** @internal For cc-chat: Accept (`true`) or Decline on the notification of a call from `peer`. */
  async answerFromPush(peer: string, accept: boolean): Promise<void> {
    // The shared session attaches a moment after this element renders.
    const engine = this.engine ?? await new Promise<CallEngine>((r) => (this.gotEngine = r));
    await engine.answerFromPush(peer, accept);
  }

  /** Ends the current call, or cancels an outgoing one that still rings. */
  hangup(): Promise<void> { return this.engine?.hangup() ?? Promise.resolve(); }

  /** The raw WebRTC statistics of every peer connection of the current call. */
  async getStats(): Promise<RTCStatsReport[]> {
    return this.engine ? this.engine.stats() : [];
  }

  protected override sessionAttached(s: Session) {
    this.engine = callEngineFor(s);
    this.gotEngine?.(this.engine);
    this.configureEngine();
    this.updateRinger();
    this.last = this.engine.$call.get();
    this.watch(this.engine.$call, (v) => this.onCall(v));
    // The caller's name and picture may arrive while it rings.
    this.watch(s.contacts.$roster);
    this.watch(s.avatars.$urls);
  }

  override connectedCallback() {
    super.connectedCallback();
    navigator.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
  }

  /** A headset plugged in or out during a call: the pickers follow. */
  private onDeviceChange = () => {
    if (this.engine?.$call.get()?.state === 'active') void this.loadDevices();
  };

  override disconnectedCallback() {
    super.disconnectedCallback();
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
    this.unring?.();
    this.unring = undefined;
    this.tones.dispose();
    clearInterval(this.clock);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    if (changed.has('ice') || changed.has('iceTransportPolicy') || changed.has('answerTimeout')) this.configureEngine();
    if (changed.has('ring')) this.updateRinger();
  }

  protected override updated() {
    if (!this.sinkId) return;
    for (const m of this.renderRoot.querySelectorAll<HTMLMediaElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string }>('.remote video, .remote audio')) {
      if (m.setSinkId && m.sinkId !== this.sinkId) void m.setSinkId(this.sinkId).catch(() => {});
    }
  }

  private configureEngine() {
    this.engine?.configure({
      ice: this.ice, iceTransportPolicy: this.iceTransportPolicy,
      answerTimeout: Number.isFinite(this.answerTimeout) && this.answerTimeout > 0 ? this.answerTimeout * 1000 : undefined,
    });
  }

  private updateRinger() {
    if (this.ring && this.engine && !this.unring) this.unring = this.engine.addRinger();
    if (!this.ring) {
      this.unring?.();
      this.unring = undefined;
    }
  }

  private onCall(v: CallView | null) {
    const prev = this.last;
    this.last = v;
    if (!v) return;
    const newCall = prev?.id !== v.id;
    if (newCall || prev?.state !== v.state) {
      this.emit('cc-call-state', { state: v.state });
      if (v.state === 'ringing' && v.direction === 'in') {
        this.session?.avatars.want(v.peer);
        this.emit('cc-call-incoming', { from: v.peer, video: v.video });
      }
      if (v.state === 'ended') {
        this.emit('cc-call-ended', { reason: v.reason, duration: durationOf(v) });
        // Still ours until this render removes the video; the window would go on with its last frame.
        if ((this.renderRoot as ShadowRoot).pictureInPictureElement) void document.exitPictureInPicture();
      }
      if (v.state === 'active') void this.loadDevices();
    }
    if (v.state === 'ringing' && v.direction === 'in' && this.ring) this.tones.play('ring');
    else if (v.state === 'ringing' && v.direction === 'out') this.tones.play('ringback');
    else this.tones.stop();
    clearInterval(this.clock);
    if (v.state === 'active') this.clock = setInterval(() => this.requestUpdate(), 1000);
  }

  private async loadDevices() {
    try {
      this.devices = await navigator.mediaDevices.enumerateDevices();
    } catch {
      this.devices = [];
    }
  }

  override render() {
    const err = this.renderError();
    if (err) return err;
    const v = this.engine?.$call.get() ?? null;
    if (!v || (v.state === 'ended' && this.dismissed === v.id)) return this.renderIdle();
    if (v.state === 'ringing' && v.direction === 'in') return this.renderIncoming(v);
    if (v.state === 'ended') return this.renderEnded(v);
    return this.renderCall(v);
  }

  private renderIdle() {
    const online = this.connectionState === 'online';
    const l = this.language;
    if (this.room) {
      return html`<div class="panel" part="panel"><div class="bar">
        <span class="who">${this.room}</span>
        <button class="primary" ?disabled=${!online} @click=${() => this.joinRoom()}>${t(l, 'Join call')}</button></div></div>`;
    }
    if (!this.with) return nothing;
    return html`<div class="panel" part="panel"><div class="bar">
      <span class="who">${this.with}</span>
      <button ?disabled=${!online} @click=${() => this.call(this.with, { video: false })}>${t(l, 'Audio call')}</button>
      <button class="primary" ?disabled=${!online} @click=${() => this.call(this.with, { video: true })}>${t(l, 'Video call')}</button>
    </div></div>`;
  }

  private renderIncoming(v: CallView) {
    const l = this.language;
    const s = this.session;
    const name = s?.contacts.name(v.peer) ?? v.peer;
    return html`<div class="panel" part="panel">
      <div class="incoming" part="incoming" role="alertdialog" aria-label=${t(l, 'Incoming call')} aria-describedby="caller">
        ${avatar(name, v.peer, 72, s?.avatars.$urls.get()[v.peer])}
        <div id="caller"><strong>${name}</strong> <span class="muted-text">${v.video ? t(l, 'is calling you (video)') : t(l, 'is calling you')}</span></div>
        <div class="actions">
          <button class="accept" @click=${() => this.accept()}>${t(l, 'Accept')}</button>
          <button class="danger" @click=${() => this.decline()}>${t(l, 'Decline')}</button>
        </div>
      </div></div>`;
  }

  private renderEnded(v: CallView) {
    const d = durationOf(v);
    return html`<div class="panel" part="panel">
      ${v.notice ? html`<div class="notice" part="notice" role="status">${v.notice}</div>` : nothing}
      <div class="bar" role="status">
        <span class="who">${endedText(v.reason ?? 'hangup', this.language)}${d ? html` <span class="muted-text">· ${clock(d)}</span>` : nothing}</span>
        <button @click=${() => (this.dismissed = v.id)}>${t(this.language, 'Close')}</button>
      </div></div>`;
  }

  private renderCall(v: CallView) {
    // A dropped media path is being restored (ICE restart): say so rather than let the clock run on a frozen picture.
    const lost = v.state === 'active' && v.remotes.some((r) => r.connection === 'disconnected' || r.connection === 'failed');
    const l = this.language;
    const status = v.state === 'ringing' ? (v.remoteRinging ? t(l, 'Ringing…') : t(l, 'Calling…')) : v.state === 'connecting' ? t(l, 'Connecting…')
      : lost ? t(l, 'Reconnecting…') : clock(durationOf(v));
    const showVideo = v.video;
    return html`<div class="panel ${this.full ? 'full' : ''}" part="panel">
      <div class="bar">
        <span class="who">${v.room ?? v.peer}</span>
        <span class="muted-text" role="timer" aria-label=${t(l, 'Call status')}>${status}</span>
        ${v.state === 'active' ? html`<span class="quality muted-text" data-q=${v.quality} aria-label=${t(l, 'Network quality')}>${t(l, 'Network: {quality}', { quality: qualityText(v.quality, l) })}</span>` : nothing}
      </div>
      ${v.notice ? html`<div class="notice" part="notice" role="status">${v.notice}</div>` : nothing}
      <div class="stage" part="stage" @leavepictureinpicture=${() => this.requestUpdate()}>
        ${v.remotes.length === 0 ? html`<div class="tile"><div class="avatar" aria-hidden="true">${(v.room ?? v.peer).slice(0, 1)}</div></div>` : nothing}
        ${v.remotes.map((r) => this.renderRemote(r, showVideo))}
        ${showVideo && v.local && v.local.getVideoTracks().length ? html`<div class="self" part="local">
          <video class="local" aria-label=${t(l, 'Your camera')} .srcObject=${v.local} .muted=${true} muted autoplay playsinline></video></div>` : nothing}
      </div>
      <div class="controls" part="controls">
        <button aria-pressed=${v.muted ? 'true' : 'false'} @click=${() => this.engine?.toggleMute()}>${t(l, 'Mute microphone')}</button>
        ${v.video ? html`<button aria-pressed=${v.cameraOff ? 'true' : 'false'} @click=${() => this.engine?.toggleCamera()}>${t(l, 'Turn camera off')}</button>
          <button aria-pressed=${v.sharing ? 'true' : 'false'} @click=${() => this.engine?.toggleScreenShare()}>${t(l, 'Share screen')}</button>` : nothing}
        <button aria-pressed=${this.full ? 'true' : 'false'} @click=${() => (this.full = !this.full)}>${t(l, 'Full screen')}</button>
        ${v.video && 'pictureInPictureEnabled' in document ? html`<button aria-pressed=${(this.renderRoot as ShadowRoot).pictureInPictureElement ? 'true' : 'false'} @click=${() => this.pip()}>${t(l, 'Picture in picture')}</button>` : nothing}
        <button class="danger" @click=${() => this.hangup()}>${t(l, 'Hang up')}</button>
      </div>
      ${v.state === 'active' ? this.renderDevices(v) : nothing}
    </div>`;
  }

  private renderRemote(r: RemoteParticipant, video: boolean) {
    const hasVideo = video && !!r.stream?.getVideoTracks().length;
    return html`<div class="tile remote" part="remote" data-jid=${r.jid}>
      ${hasVideo
        ? html`<video class="remote-video" aria-label=${t(this.language, 'Video of {name}', { name: r.name })} .srcObject=${r.stream} autoplay playsinline></video>`
        : html`<div class="avatar" aria-hidden="true">${r.name.slice(0, 1)}</div><audio .srcObject=${r.stream} autoplay></audio>`}
      <span class="label">${r.name}</span>
    </div>`;
  }

  private renderDevices(v: CallView) {
    const of = (kind: MediaDeviceKind) => this.devices.filter((d) => d.kind === kind);
    // The devices in use are those of the live tracks (the browser's default until one is picked).
    const using = new Set([...(v.local?.getTracks() ?? [])].map((t) => t.getSettings().deviceId).concat(this.sinkId));
    const l = this.language;
    const opt = (d: MediaDeviceInfo, i: number) => html`<option value=${d.deviceId} ?selected=${using.has(d.deviceId)}>${d.label || (d.kind === 'videoinput' ? t(l, 'Camera {n}', { n: i + 1 }) : d.kind === 'audioinput' ? t(l, 'Microphone {n}', { n: i + 1 }) : t(l, 'Speaker {n}', { n: i + 1 }))}</option>`;
    const speakers = of('audiooutput');
    return html`<div class="devices">
      <label for="mic">${t(l, 'Microphone')}</label>
      <select id="mic" aria-label=${t(l, 'Microphone')} @change=${(e: Event) => this.engine?.useDevice('audio', (e.target as HTMLSelectElement).value)}>${of('audioinput').map(opt)}</select>
      ${v.video ? html`<label for="cam">${t(l, 'Camera')}</label>
        <select id="cam" aria-label=${t(l, 'Camera')} @change=${(e: Event) => this.engine?.useDevice('video', (e.target as HTMLSelectElement).value)}>${of('videoinput').map(opt)}</select>` : nothing}
      ${speakers.length && 'setSinkId' in HTMLMediaElement.prototype ? html`<label for="spk">${t(l, 'Speaker')}</label>
        <select id="spk" aria-label=${t(l, 'Speaker')} @change=${(e: Event) => { this.sinkId = (e.target as HTMLSelectElement).value; this.requestUpdate(); }}>${speakers.map(opt)}</select>` : nothing}
    </div>`;
  }

  /** Picture in picture of the (first) remote video, or back from it. */
  private async pip() {
    const root = this.renderRoot as ShadowRoot;
    await (root.pictureInPictureElement ? document.exitPictureInPicture() : root.querySelector<HTMLVideoElement>('video.remote-video')?.requestPictureInPicture())?.catch(() => {});
    this.requestUpdate();
  }
}

function clock(s: number) {
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
