// What the service worker shows for a push, and where a click leads. Pure functions, so the rules
// are readable in one place; cc-sw.ts wires them to the browser's events.

/** The JSON the push bridge sends (server/push-bridge/protocol.mjs buildPayload). */
export interface PushPayload {
  v?: number;
  kind?: 'message' | 'call';
  /** Bare JID of the conversation (contact or room). */
  conversation?: string;
  /** Contact address, or the occupant's nickname in a room. */
  sender?: string;
  room?: boolean;
  /** Absent in privacy mode. */
  text?: string;
  count?: number;
  video?: boolean;
  /** The page that enabled push; clicks open it when no window is open. */
  url?: string;
}

/** Kept on each notification, so a later push or a click knows what it stands for. */
export interface NotificationData {
  cc: 1;
  kind: 'message' | 'call';
  conversation: string;
  count: number;
  url?: string;
}

export interface NotificationPlan {
  title: string;
  options: NotificationOptions & { renotify?: boolean; actions?: { action: string; title: string }[]; data: NotificationData };
}

/** Parses a push body; anything unreadable becomes a neutral message notification. */
export function parsePayload(text: string | undefined): PushPayload {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as PushPayload) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown, max = 300) => (typeof v === 'string' && v ? v.slice(0, max) : undefined);

/** The tag groups a conversation's notifications into one. */
export const tagFor = (kind: 'message' | 'call', conversation: string) => `cc-${kind}:${conversation}`;

/**
 * The notification for `p`, given the one already shown for the same conversation (if any): messages
 * are counted into a single notification per conversation; calls ring with Accept/Decline.
 */
export function planNotification(p: PushPayload, previous?: NotificationData): NotificationPlan {
  const kind = p.kind === 'call' ? 'call' : 'message';
  const conversation = str(p.conversation, 3071) ?? '';
  const sender = str(p.sender) ?? conversation.split('@')[0] ?? '';
  const url = str(p.url, 1024);
  const tag = tagFor(kind, conversation);
  if (kind === 'call') {
    return {
      title: p.video ? 'Incoming video call' : 'Incoming call',
      options: {
        body: sender || 'Someone is calling',
        tag, renotify: true, requireInteraction: true,
        actions: [{ action: 'accept', title: 'Accept' }, { action: 'decline', title: 'Decline' }],
        data: { cc: 1, kind, conversation, count: 1, url },
      },
    };
  }
  const count = (previous?.kind === 'message' ? previous.count : 0) + Math.max(1, Math.floor(Number(p.count) || 1));
  const where = p.room ? ` in ${conversation.split('@')[0]}` : '';
  const text = str(p.text, 500);
  const body = text
    ? (count > 1 ? `${text}\n(${count} new messages)` : text)
    : (count > 1 ? `${count} new messages` : 'New message');
  return {
    title: `${sender || 'New message'}${where}`,
    options: { body, tag, renotify: true, data: { cc: 1, kind, conversation, count, url } },
  };
}

export type ClickAction = 'open' | 'accept' | 'decline';

/** The message a page receives when a notification is clicked (core/push.ts listens for it). */
export interface OpenMessage {
  type: 'cc-push-open';
  conversation: string;
  kind: 'message' | 'call';
  action: ClickAction;
}

export const actionOf = (action: string): ClickAction => (action === 'accept' || action === 'decline' ? action : 'open');

/** The URL to open when no page is open: the page that enabled push, told what to show. */
export function openUrl(data: NotificationData, action: ClickAction, fallback: string): string {
  let u: URL;
  try {
    u = new URL(data.url ?? fallback);
  } catch {
    u = new URL(fallback);
  }
  u.searchParams.set('cc-open', data.conversation);
  if (data.kind === 'call') u.searchParams.set('cc-action', action);
  return u.href;
}

/** Which open window to use: a focused one, else one showing the push page, else any. */
export function pickClient<T extends { url: string; focused?: boolean; visibilityState?: string }>(clients: readonly T[], url?: string): T | undefined {
  const path = (s: string) => {
    try {
      const u = new URL(s);
      return u.origin + u.pathname;
    } catch {
      return s;
    }
  };
  return clients.find((c) => c.focused)
    ?? (url ? clients.find((c) => path(c.url) === path(url)) : undefined)
    ?? clients.find((c) => c.visibilityState === 'visible')
    ?? clients[0];
}
