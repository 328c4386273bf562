// The conversation header's call and board buttons, slotted into cc-chat-view's `actions` slot by
// cc-chat. They only ask; cc-chat loads cc-call or cc-whiteboard and acts.
import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import type { Session } from '../../core/session.js';
import { t } from '../i18n.js';
import { sharedStyles } from './shared-styles.js';

const icon = (body: ReturnType<typeof svg>) => html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none"
  stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;
const PHONE = icon(svg`<path d="M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z"/>`);
const CAMERA = icon(svg`<rect x="2" y="6" width="13" height="12" rx="2"/><path d="M15 10.5 21 7v10l-6-3.5z"/>`);
const BOARD = icon(svg`<rect x="3" y="3" width="18" height="13" rx="2"/><path d="M12 16v5M8 21h8M7 12l3-4 3 3 3-4"/>`);

export interface StartCallDetail { jid: string; video: boolean; room: boolean }

export class ChatActions extends LitElement {
  static override styles = [sharedStyles, css`
    :host { display: flex; gap: var(--cc-space, 8px); align-items: center; }
    /* Like the header's other buttons (cc-chat's .header-action). */
    button {
      display: inline-grid; place-items: center; border: 1px solid var(--cc-border); background: var(--cc-bg); color: var(--cc-fg);
      border-radius: calc(var(--cc-radius) / 1.5); min-width: 32px; height: 32px; padding: 0 6px;
    }
    button[disabled] { opacity: 0.45; cursor: default; }
  `];

  static override properties = {
    session: { attribute: false },
    jid: {},
    calls: { type: Boolean },
    whiteboard: { type: Boolean },
    busy: { type: Boolean },
  };
  session?: Session;
  jid = '';
  calls = false;
  whiteboard = false;
  /** A call is ringing or running: no second one from here. */
  busy = false;
  private unsubs: (() => void)[] = [];

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('session')) this.bind();
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.session && !this.unsubs.length) this.bind();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubs.forEach((u) => u());
    this.unsubs = [];
  }

  private bind() {
    this.unsubs.forEach((u) => u());
    const s = this.session;
    const rerender = () => this.requestUpdate();
    this.unsubs = s ? [s.connection.$state.listen(rerender), s.rooms.$rooms.listen(rerender)] : [];
  }

  private ask<T>(type: string, detail: T) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  override render() {
    const s = this.session;
    if (!s || !this.jid) return nothing;
    const room = !!s.rooms.$rooms.get()[this.jid];
    const online = s.connection.online;
    const call = (video: boolean) => this.ask<StartCallDetail>('cc-start-call', { jid: this.jid, video, room });
    const l = this.lang;
    const label = (name: string) => (room ? t(l, 'Group call in this room') : name);
    return html`
      ${this.calls ? html`
        <button aria-label=${t(l, 'Audio call')} title=${label(t(l, 'Audio call'))} ?disabled=${!online || this.busy} @click=${() => call(false)}>${PHONE}</button>
        <button aria-label=${t(l, 'Video call')} title=${label(t(l, 'Video call'))} ?disabled=${!online || this.busy} @click=${() => call(true)}>${CAMERA}</button>` : nothing}
      ${this.whiteboard && room ? html`
        <button aria-label=${t(l, 'Whiteboard')} title=${t(l, 'Shared whiteboard of this room')} ?disabled=${!online}
          @click=${() => this.ask('cc-open-board', { room: this.jid })}>${BOARD}</button>` : nothing}`;
  }
}
