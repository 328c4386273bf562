// Getting the user's attention for a new message: a short sound and, while the page is hidden, a
// browser notification that opens the conversation when clicked. Muted conversations stay silent;
// in rooms only messages that mention the user count, as in most team chats. And for screen
// readers, every new message in a polite live region.
import type { IncomingEvent, Session } from '../../core/session.js';
import { t } from '../i18n.js';

/** Shortest time between two live-region updates: a burst becomes one summary, not a queue. */
export const ANNOUNCE_EVERY = 1500;

export interface AlertHost {
  readonly session: Session;
  /** The UI language, asked each time (it may change). */
  lang(): string;
  /** Sound on (the `sound` default) and not globally `muted`; asked each time, attributes change. */
  soundOn(): boolean;
  /** The site enabled browser notifications (`notifications`). */
  notificationsOn(): boolean;
  /** Whether the user is looking at this conversation right now. */
  isShowing(conversation: string): boolean;
  /** Brings the page's chat forward with this conversation open. */
  reveal(conversation: string): void;
}

export class Alerts {
  private audio?: AudioContext;
  /** When each conversation last chimed: a burst from one conversation is one chime. */
  private readonly lastSound = new Map<string, number>();

  constructor(private readonly host: AlertHost) {}

  onIncoming = (e: IncomingEvent) => {
    const s = this.host.session;
    if (s.mutes.has(e.conversation) || !this.worthIt(s, e)) return;
    const hidden = document.visibilityState === 'hidden';
    if (!hidden && this.host.isShowing(e.conversation)) return;
    if (this.host.soundOn()) this.chime(e.conversation);
    if (hidden && this.host.notificationsOn()) this.notify(s, e);
  };

  private worthIt(s: Session, e: IncomingEvent): boolean {
    if (s.conversation(e.conversation).kind !== 'room') return true;
    const nick = s.rooms.nickIn(e.conversation);
    return !!nick && new RegExp(`(^|[^\\p{L}\\p{N}_])@?${escapeRe(nick)}($|[^\\p{L}\\p{N}_])`, 'iu').test(e.text);
  }

  private notify(s: Session, e: IncomingEvent) {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const room = s.conversation(e.conversation).kind === 'room';
    const sender = room ? e.from.slice(e.conversation.length + 1) : s.contacts.name(e.conversation);
    const l = this.host.lang();
    const title = room ? t(l, '{name} in {room}', { name: sender, room: s.rooms.$rooms.get()[e.conversation]?.name ?? e.conversation }) : sender;
    try {
      // One notification per conversation: a newer one replaces it (same tag) and rings again.
      const n = new Notification(title, {
        body: e.text.length > 200 ? `${e.text.slice(0, 200)}…` : e.text,
        tag: `cc:${e.conversation}`, renotify: true, icon: s.avatars.$urls.get()[e.conversation],
      } as NotificationOptions);
      n.onclick = () => {
        window.focus();
        this.host.reveal(e.conversation);
        n.close();
      };
    } catch (err) {
      // Some browsers allow notifications only from a service worker; the sound still played.
      console.warn('cc: could not show a notification', err);
    }
  }

  /** Two soft notes made on the spot: no audio file to fetch, nothing to license. */
  private chime(conversation: string) {
    const now = Date.now();
    if (now - (this.lastSound.get(conversation) ?? 0) < 2000) return;
    this.lastSound.set(conversation, now);
    try {
      this.audio ??= new AudioContext();
      const ctx = this.audio;
      if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
      const t = ctx.currentTime;
      for (const [i, freq] of [880, 1320].entries()) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t + i * 0.12);
        gain.gain.exponentialRampToValueAtTime(0.15, t + i * 0.12 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.3);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t + i * 0.12);
        osc.stop(t + i * 0.12 + 0.32);
      }
    } catch {
      // No audio (policy, no device): silently nothing.
    }
  }
}

/** What the live region says about new messages: the first at once, then at most one summary per ANNOUNCE_EVERY. */
export class Announcer {
  private pending: { who: string; text: string }[] = [];
  private last = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly session: Session, private readonly lang: () => string, private readonly say: (text: string) => void) {}

  onIncoming = (e: IncomingEvent) => {
    const s = this.session;
    if (s.mutes.has(e.conversation)) return;
    const room = s.conversation(e.conversation).kind === 'room';
    const who = room ? e.from.slice(e.conversation.length + 1) : s.contacts.name(e.conversation);
    this.pending.push({ who, text: e.text.length > 200 ? `${e.text.slice(0, 200)}…` : e.text });
    const wait = this.last + ANNOUNCE_EVERY - Date.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  };

  private flush() {
    this.timer = undefined;
    const p = this.pending;
    this.pending = [];
    const latest = p.at(-1);
    if (!latest) return;
    this.last = Date.now();
    const l = this.lang();
    this.say(p.length === 1 ? t(l, 'New message from {name}: {text}', { name: latest.who, text: latest.text })
      : t(l, '{n} new messages. The last from {name}: {text}', { n: p.length, name: latest.who, text: latest.text }));
  }

  stop() {
    clearTimeout(this.timer);
  }
}

function escapeRe(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
