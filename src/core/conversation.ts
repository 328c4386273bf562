// One conversation (1:1 or room): its messages, history paging, unread count and who is typing.
import { atom, type ReadableAtom } from 'nanostores';
import { queryArchive } from './archive.js';
import type { Connection } from './connection.js';
import type { ChatMessage } from './protocol/message.js';
import type { ArchivedStanza } from './protocol/mam.js';
import { createMessageStore, type MessageStore } from './stores/messages.js';

export type ConversationKind = 'chat' | 'room';

/** Turns archived stanzas of this conversation into messages. */
export type ArchiveParser = (items: ArchivedStanza[]) => ChatMessage[];

const TYPING_TIMEOUT = 30_000;

export class Conversation {
  readonly store: MessageStore = createMessageStore();
  readonly $loading = atom(false);
  readonly $complete = atom(false);
  readonly $unread = atom(0);
  readonly $typing = atom<readonly string[]>([]);
  private oldest?: string;
  /**
   * A catch-up that did not reach the end stopped after this archive id: below the newest messages
   * there is a gap, and the next catch-up starts here.
   */
  catchUpFrom?: string;
  /**
   * The newest incoming message that catch-up read (by archive id). catchUpFrom is often a receipt,
   * a marker or one of ours, which cannot place the next page: it goes after this one.
   */
  catchUpAnchor?: string;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly jid: string,
    readonly kind: ConversationKind,
    readonly conn: Connection,
    /** Turns archived stanzas of this conversation into messages. */
    readonly parse: ArchiveParser,
    onChange: () => void,
  ) {
    this.store.$messages.listen(onChange);
    this.$unread.listen(onChange);
  }

  get $messages(): ReadableAtom<readonly ChatMessage[]> {
    return this.store.$messages;
  }

  get last(): ChatMessage | undefined {
    const list = this.store.$messages.get();
    for (let i = list.length - 1; i >= 0; i--) if (!list[i]!.system) return list[i];
    return undefined;
  }

  /** Loads the newest page of history (again after a reconnect; duplicates merge away). */
  loadLatest(max = 50): Promise<void> {
    return this.loadPage('', max);
  }

  async loadOlder(max = 50): Promise<void> {
    if (this.$complete.get()) return;
    // Page on from the oldest message the archive knows (from a page, the cache or a catch-up); with
    // none yet (what is shown came live or from the recent list), start at the newest page.
    const before = this.oldest ?? this.store.$messages.get().find((m) => m.stanzaId && !m.system)?.stanzaId ?? '';
    await this.loadPage(before, max);
  }

  private async loadPage(before: string, max: number) {
    if (!this.conn.online || this.$loading.get()) return;
    this.$loading.set(true);
    try {
      const q = this.kind === 'room' ? { archive: this.jid, before, max } : { with: this.jid, before, max };
      const page = await queryArchive(this.conn, q);
      this.store.add(this.parse(page.items), before === '' ? 'auto' : 'older');
      // Paging continues from the oldest item ever loaded; a refresh of the newest page keeps it.
      if (before !== '' || this.oldest === undefined) {
        this.oldest = page.first;
        this.$complete.set(page.complete || page.items.length === 0);
      }
    } finally {
      this.$loading.set(false);
    }
  }

  setTyping(who: string, typing: boolean) {
    clearTimeout(this.typingTimers.get(who));
    const now = this.$typing.get();
    if (typing) {
      // A peer whose client dies mid-typing must not look like it types forever.
      this.typingTimers.set(who, setTimeout(() => this.setTyping(who, false), TYPING_TIMEOUT));
      if (!now.includes(who)) this.$typing.set([...now, who]);
    } else if (now.includes(who)) {
      this.$typing.set(now.filter((w) => w !== who));
    }
  }
}
