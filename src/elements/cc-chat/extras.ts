// cc-chat's calls and boards (the `calls` and `whiteboard` attributes): a cc-call docked in the panel
// (full screen on narrow screens) that also rings for incoming calls, and a board panel for a room.
// Both are the standalone elements on the same account, so on the same shared session; their chunks
// load on first use, never with the chat's first paint.
import { html, nothing, type LitElement, type ReactiveController } from 'lit';
import type { CcCall } from '../cc-call/cc-call.js';
import { t } from '../i18n.js';
import type { StartCallDetail } from './chat-actions.js';

/** The account attributes cc-chat passes on, so the embedded elements attach to its session. */
export interface AccountProps {
  service?: string;
  domain?: string;
  jid?: string;
  password?: string;
  credentialsUrl?: string;
  anonymous: boolean;
  nick?: string;
  theme: 'light' | 'dark' | 'auto';
}

type Host = LitElement & { account(): AccountProps; show(): void; readonly language: string };

/** Events the embedded elements fire about the session; cc-chat reports those itself. */
const stop = (e: Event) => e.stopPropagation();
const stopUnlessCall = (e: CustomEvent<{ code?: string }>) => {
  if (e.detail?.code !== 'call') e.stopPropagation();
};

/** The focused element, looking into shadow roots. */
function deepActive(): HTMLElement | undefined {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : undefined;
}

export class ChatExtras implements ReactiveController {
  /** A call is ringing or running. */
  callLive = false;
  private callsLoading?: Promise<unknown>;
  private callsReady = false;
  private boardRoom?: string;
  private boardReady = false;
  private narrow = false;
  private media?: MediaQueryList;

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  hostConnected() {
    this.media = matchMedia('(max-width: 640px)');
    this.narrow = this.media.matches;
    this.media.addEventListener('change', this.onMedia);
  }

  hostDisconnected() {
    this.media?.removeEventListener('change', this.onMedia);
  }

  private onMedia = (e: MediaQueryListEvent) => {
    this.narrow = e.matches;
    this.host.requestUpdate();
  };

  /** Loads cc-call once; from then on the docked element rings for incoming calls. */
  loadCalls(): Promise<unknown> {
    return (this.callsLoading ??= import('../../call.js').then(() => {
      this.callsReady = true;
      this.host.requestUpdate();
    }));
  }

  /** The docked cc-call, rendered. */
  async dock() {
    await this.loadCalls();
    await this.host.updateComplete;
    return this.host.renderRoot.querySelector<CcCall>('cc-call.dock');
  }

  async startCall(d: StartCallDetail) {
    await (await this.dock())?.call(d.jid, { video: d.video, room: d.room });
  }

  async openBoard(room: string) {
    this.opener = deepActive();
    this.boardRoom = room;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.board-bar button')?.focus();
    await import('../../whiteboard.js');
    this.boardReady = true;
    this.host.requestUpdate();
  }

  closeBoard() {
    this.boardRoom = undefined;
    this.host.requestUpdate();
    // Back where the user was (the header's Whiteboard button).
    void this.host.updateComplete.then(() => this.opener?.focus());
  }

  private opener?: HTMLElement;

  private onCallState = (e: CustomEvent<{ state: string }>) => {
    const live = e.detail.state !== 'ended';
    if (live !== this.callLive) {
      this.callLive = live;
      this.host.requestUpdate();
    }
  };

  renderCall() {
    if (!this.callsReady) return nothing;
    const a = this.host.account();
    return html`<cc-call class="dock" .service=${a.service} .domain=${a.domain} .jid=${a.jid} .password=${a.password}
      .credentialsUrl=${a.credentialsUrl} .anonymous=${a.anonymous} .nick=${a.nick} .theme=${a.theme}
      ?fullscreen=${this.narrow && this.callLive}
      @cc-call-state=${this.onCallState} @cc-call-incoming=${() => this.host.show()}
      @cc-ready=${stop} @cc-connection-change=${stop} @cc-error=${stopUnlessCall}></cc-call>`;
  }

  renderBoard() {
    const room = this.boardRoom;
    if (!room) return nothing;
    const a = this.host.account();
    const l = this.host.language;
    return html`<section class="board" role="dialog" aria-label=${t(l, 'Whiteboard')}>
      <div class="board-bar"><span class="title">${t(l, 'Whiteboard')} · ${room.split('@')[0]}</span>
        <button @click=${() => this.closeBoard()}>${t(l, 'Close whiteboard')}</button></div>
      ${this.boardReady ? html`<cc-whiteboard .service=${a.service} .domain=${a.domain} .jid=${a.jid} .password=${a.password}
        .credentialsUrl=${a.credentialsUrl} .anonymous=${a.anonymous} .nick=${a.nick} .theme=${a.theme} room=${room}
        @cc-ready=${stop} @cc-connection-change=${stop}></cc-whiteboard>` : html`<p class="status" role="status">${t(l, 'Loading…')}</p>`}
    </section>`;
  }
}
