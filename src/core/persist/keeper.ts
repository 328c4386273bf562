// The cache of an account's conversations in IndexedDB: the list (summaries) and each
// conversation's newest messages, so a reload shows them before the socket is up. The server stays
// the authority: what comes from it later merges into what the cache showed, without duplicates.
import type { ReadableAtom } from 'nanostores';
import type { Conversation, ConversationKind } from '../conversation.js';
import type { ChatMessage } from '../protocol/message.js';
import type { ConversationSummary } from '../summaries.js';
import type { AccountDb, CachedConversation } from './db.js';

/** Messages kept per conversation. */
const KEEP = 50;
/** Writes wait this long for more changes. */
const SETTLE = 1000;

export interface KeptSession {
  conversation(jid: string, kind?: ConversationKind): Conversation;
  readonly $conversations: ReadableAtom<readonly ConversationSummary[]>;
}

export interface CacheContents {
  summaries: ConversationSummary[];
  /** Our bare JID when last online (logins whose address comes from the host site). */
  jid?: string;
  /** Per cached conversation, the archive id its catch-up reads on from (see catchup.ts). */
  anchors: Map<string, string | undefined>;
}

// Pending and failed messages live in the outbox; room events are not worth keeping.
const keepable = (m: ChatMessage) => !m.system && m.status !== 'pending' && m.status !== 'failed';

export class Keeper {
  private readonly dirty = new Set<Conversation>();
  private summariesDirty = false;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly tracked = new WeakSet<Conversation>();
  private closed = false;

  constructor(private readonly db: AccountDb, private readonly session: KeptSession) {}

  /** Puts the cached conversations into the session; returns the cached list. */
  async load(): Promise<CacheContents> {
    const [convs, summaries, jid] = await Promise.all([
      this.db.getAll('conversations'),
      this.db.get('meta', 'summaries') as Promise<ConversationSummary[] | undefined>,
      this.db.get('meta', 'jid') as Promise<string | undefined>,
    ]);
    const anchors = new Map<string, string | undefined>();
    for (const c of convs) {
      const newestIn = [...c.messages].reverse().find((m) => m.stanzaId && m.direction === 'in' && !m.system);
      anchors.set(c.jid, c.catchUpFrom ?? newestIn?.stanzaId);
      const conv = this.session.conversation(c.jid, c.kind);
      conv.store.add(c.messages);
      if (c.unread && !conv.$unread.get()) conv.$unread.set(c.unread);
      if (!conv.catchUpFrom) {
        conv.catchUpFrom = c.catchUpFrom;
        conv.catchUpAnchor = c.catchUpAnchor;
      }
    }
    return { summaries: summaries ?? [], jid, anchors };
  }

  /** Keeps this conversation cached from now on. */
  track(conv: Conversation) {
    if (this.tracked.has(conv)) return;
    this.tracked.add(conv);
    const mark = () => {
      this.dirty.add(conv);
      this.schedule();
    };
    conv.$messages.listen(mark);
    conv.$unread.listen(mark);
  }

  trackSummaries() {
    this.session.$conversations.listen(() => {
      this.summariesDirty = true;
      this.schedule();
    });
  }

  rememberJid(jid: string) {
    void this.db.put('meta', jid, 'jid').catch(() => {});
  }

  /** Writes what changed now (the page is going away). */
  flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const convs = [...this.dirty];
    this.dirty.clear();
    const tx = this.db.transaction(['conversations', 'meta'], 'readwrite');
    for (const c of convs) {
      const messages = c.$messages.get().filter(keepable).slice(-KEEP);
      const rec: CachedConversation = { jid: c.jid, kind: c.kind, messages, unread: c.$unread.get(),
        catchUpFrom: c.catchUpFrom, catchUpAnchor: c.catchUpAnchor };
      if (messages.length || rec.unread) void tx.objectStore('conversations').put(rec);
    }
    if (this.summariesDirty) {
      this.summariesDirty = false;
      void tx.objectStore('meta').put([...this.session.$conversations.get()], 'summaries');
    }
    tx.done.catch((e) => console.warn('cc: cache', e));
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule() {
    this.timer ??= setTimeout(() => this.flush(), SETTLE);
  }
}

/**
 * The list to show while the roster is not back from the server: what it computes so far, plus
 * what the cache had (names and previews included).
 */
export function withCached(current: readonly ConversationSummary[], cached: readonly ConversationSummary[]): ConversationSummary[] {
  const byJid = new Map(current.map((s) => [s.jid, s]));
  for (const c of cached) {
    const now = byJid.get(c.jid);
    if (!now) byJid.set(c.jid, c);
    else if (now.name === c.jid.split('@')[0] && c.name) byJid.set(c.jid, { ...now, name: c.name });
  }
  return [...byJid.values()].sort((a, b) => b.activity - a.activity || a.name.localeCompare(b.name));
}
