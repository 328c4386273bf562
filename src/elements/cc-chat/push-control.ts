// The "Enable notifications" control of cc-chat: one button and a status line over core/push.ts.
// Internal element; cc-chat passes its session and its push attributes.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import {
  clearPushNotifications, consumePushIntent, disablePush, enablePush, pushIntents, pushState, restorePush,
  type PushIntent, type PushSession, type PushState,
} from '../../core/push.js';
import type { CcCall } from '../cc-call/cc-call.js';
import { define } from '../define.js';
import { t, uiLang } from '../i18n.js';

/** The status line; the core's messages are English, so the ones known by state are said here. */
function statusText(p: PushState, l: string): string {
  if (p.busy) return p.status === 'on' ? t(l, 'Turning notifications off…') : t(l, 'Turning notifications on…');
  if (p.status === 'on') return t(l, 'Notifications are on');
  if (p.status === 'denied') return t(l, 'Notifications are blocked for this site in the browser settings.');
  if (p.status === 'unsupported') {
    return window.isSecureContext ? t(l, 'This browser cannot receive notifications from websites.') : t(l, 'Notifications need a secure (https) page.');
  }
  return p.message ?? '';
}

/**
 * Web push on/off for the session's account.
 *
 * @tag cc-push-control
 * @fires cc-push-change - The push state changed. detail: `{ status, message? }`
 * @csspart button - The Enable/Disable notifications button.
 * @csspart status - The status text.
 */
export class CcPushControl extends LitElement {
  static override styles = css`
    :host { display: flex; align-items: center; gap: .5em; flex-wrap: wrap; font: inherit; }
    button { font: inherit; padding: .3em .7em; border-radius: .4em; border: 1px solid currentColor; background: none; color: inherit; cursor: pointer; }
    button[disabled] { opacity: .6; cursor: default; }
    .status { font-size: .85em; opacity: .85; }
    .status[data-status='error'], .status[data-status='denied'] { color: #b3261e; opacity: 1; }
  `;

  static override properties = {
    session: { attribute: false },
    vapidKey: { attribute: false },
    pushService: { attribute: false },
    serviceWorker: { attribute: false },
    subscribeTimeout: { attribute: false },
    privacy: { type: Boolean },
    lang: { attribute: false },
    push: { state: true },
  };
  /** The account's session (from cc-chat). */
  session?: PushSession;
  /** VAPID public key: cc-chat's `push` attribute. */
  vapidKey?: string;
  /** Push bridge JID: cc-chat's `push-service` attribute. */
  pushService?: string;
  /** Service worker path: cc-chat's `service-worker` attribute (default `/cc-sw.js`). */
  serviceWorker?: string;
  /** How long to wait for the browser's push service (ms). */
  subscribeTimeout?: number;
  /** cc-chat's `push-privacy`: the bridge is asked to leave message text out. */
  privacy = false;
  /** UI language (from cc-chat; standalone, the page's). */
  override lang = '';

  private push?: PushState;
  private off?: () => void;

  private get options() {
    return {
      vapidKey: this.vapidKey ?? '', bridgeJid: this.pushService ?? '',
      serviceWorker: this.serviceWorker || undefined, subscribeTimeoutMs: this.subscribeTimeout, privacy: this.privacy,
    };
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('session') || changed.has('vapidKey') || changed.has('pushService')) && this.session && this.vapidKey && this.pushService) {
      this.off?.();
      const store = restorePush(this.session, this.options);
      this.off = store.subscribe((s) => {
        const before = this.push;
        this.push = s;
        if (before && (before.status !== s.status || before.message !== s.message) && !s.busy) {
          this.dispatchEvent(new CustomEvent('cc-push-change', { detail: { status: s.status, message: s.message }, bubbles: true, composed: true }));
        }
      });
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.off?.();
    this.off = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    // Re-attach after a move in the DOM.
    if (!this.off && this.session) this.requestUpdate('session');
  }

  private onClick() {
    const s = this.session;
    if (!s || this.push?.busy) return;
    // Called straight from the click, so the permission prompt has the user's gesture.
    if (this.push?.status === 'on') void disablePush(s, this.options);
    else void enablePush(s, this.options);
  }

  override render() {
    if (!this.vapidKey) return nothing;
    const l = this.lang || uiLang(this);
    if (!this.pushService) {
      return html`<span class="status" data-status="error" role="status" part="status">${t(l, 'Notifications need the push-service attribute (the push bridge\'s address)')}</span>`;
    }
    const p = this.push ?? (this.session ? pushState(this.session).get() : { status: 'off' as const });
    const on = p.status === 'on';
    const blocked = p.status === 'unsupported' || p.status === 'denied';
    const text = statusText(p, l);
    return html`
      ${blocked ? nothing : html`<button type="button" part="button" ?disabled=${p.busy || !this.session}
        @click=${this.onClick}>${on ? t(l, 'Disable notifications') : t(l, 'Enable notifications')}</button>`}
      <span class="status" part="status" role="status" data-status=${p.status}>${text}</span>`;
  }
}

define('cc-push-control', CcPushControl);

/** What the notification-click follower needs from cc-chat. */
export interface PushIntentHost extends HTMLElement {
  serviceWorker: string;
  reveal(conversation: string): void;
  callDock(): Promise<CcCall | null>;
}

/**
 * Acts on notification clicks for cc-chat: opens the conversation; on a call's Accept or Decline,
 * the docked cc-call (with `calls`) answers or declines it. Returns the undo.
 */
export function followPushIntents(chat: PushIntentHost): () => void {
  return pushIntents().subscribe((i) => {
    if (!i) return;
    consumePushIntent();
    chat.reveal(i.conversation);
    void clearPushNotifications(i.conversation, chat.serviceWorker);
    if (i.kind !== 'call') return;
    chat.dispatchEvent(new CustomEvent<PushIntent>('cc-push-call', { detail: i, bubbles: true, composed: true }));
    if (i.action !== 'open') void chat.callDock().then((dock) => dock?.answerFromPush(i.conversation, i.action === 'accept'));
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-push-control': CcPushControl;
  }
}
