// What outlives the page for an account: the cache and the outbox in IndexedDB (loaded lazily, so
// first paint does not wait for it), and the resumable stream in sessionStorage for a reload.
// Guests get none of it: their address is new at every login.
import type { ReadableAtom } from 'nanostores';
import type { AccountConfig } from './config.js';
import type { Connection } from './connection.js';
import type { Contacts } from './contacts.js';
import type { Conversation, ConversationKind } from './conversation.js';
import type { AccountDb } from './persist/db.js';
import { Keeper, withCached } from './persist/keeper.js';
import { contactsSnapshot, dropSnapshot, restoreContacts, saveSnapshot, takeSnapshot } from './persist/resume.js';
import type { Show } from './protocol/presence.js';
import type { Rooms } from './rooms.js';
import type { Sender } from './sending.js';
import { prepareResume, resumeStateOf } from './persist/stream-resume.js';
import type { ConversationSummary } from './summaries.js';

export interface PersistedSession {
  readonly config: AccountConfig;
  readonly connection: Connection;
  readonly contacts: Contacts;
  readonly rooms: Rooms;
  readonly $ownPresence: ReadableAtom<{ show: Show; status?: string }> & { set(v: { show: Show; status?: string }): void };
  readonly $conversations: ReadableAtom<readonly ConversationSummary[]>;
  conversation(jid: string, kind?: ConversationKind): Conversation;
  conversationList(): Iterable<Conversation>;
  /** The list changed (recompute it). */
  listChanged(): void;
}

export class Persistence {
  /** IndexedDB for this account, or undefined (guests, or no IndexedDB). */
  readonly db: Promise<AccountDb | undefined>;
  /** Resolves once the cache and the outbox are back in the stores. */
  restored: Promise<void> = Promise.resolve();
  cachedSummaries: readonly ConversationSummary[] = [];
  cachedJid?: string;
  /**
   * Where each conversation's first archive catch-up on this page starts: from what the cache knew
   * (from the newest page when it knew nothing), not from what a resumed stream delivered since —
   * the cache may lag what the page before it showed.
   */
  readonly cachedAnchors = new Map<string, string | undefined>();
  private keeper?: Keeper;
  private signedOut = false;
  private readonly enabled: boolean;

  constructor(private readonly session: PersistedSession, private readonly account: string) {
    this.enabled = session.config.login.kind !== 'anonymous' && typeof indexedDB !== 'undefined';
    this.db = this.enabled
      ? import('./persist/db.js').then((m) => m.openAccountDb(account)).catch((e) => (console.warn('cc: no IndexedDB', e), undefined))
      : Promise.resolve(undefined);
  }

  /** A reload in this tab: resume the stream the previous page left, with what it had learnt. */
  resumePreviousPage() {
    if (!this.enabled) return;
    const s = this.session;
    const snap = takeSnapshot(this.account);
    if (snap) {
      s.connection.markReachable();
      s.connection.resumeOnStart((x, service, bareJid) => {
        if (snap.sm.service !== service || snap.sm.jid.split('/')[0]!.toLowerCase() !== bareJid) return false;
        prepareResume(x, snap.sm);
        return true;
      });
      restoreContacts(s.contacts, snap.contacts);
      s.rooms.$rooms.set(snap.rooms);
      s.$ownPresence.set(snap.own);
    }
    addEventListener('pagehide', () => {
      if (this.signedOut) return;
      this.keeper?.flush();
      const { client, service } = s.connection.transport;
      const sm = resumeStateOf(client, service);
      if (sm) saveSnapshot(this.account, { sm, contacts: contactsSnapshot(s.contacts), rooms: { ...s.rooms.$rooms.get() }, own: s.$ownPresence.get() });
    });
  }

  /** The cached conversations first, then what the outbox still holds. */
  restore(sender: Sender): Promise<void> {
    this.restored = (async () => {
      const db = await this.db;
      if (db) {
        try {
          const keeper = new Keeper(db, this.session);
          const cached = await keeper.load();
          this.cachedSummaries = cached.summaries;
          this.cachedJid = cached.jid;
          for (const [jid, id] of cached.anchors) this.cachedAnchors.set(jid, id);
          if (cached.jid) this.session.connection.markReachable();
          this.keeper = keeper;
          for (const c of this.session.conversationList()) keeper.track(c);
          keeper.trackSummaries();
          this.session.listChanged();
        } catch (e) {
          console.warn('cc: could not read the cache', e);
        }
      }
      await sender.restore().catch((e) => console.warn('cc: could not read the outbox', e));
    })();
    return this.restored;
  }

  /** The list to show: until the roster is back from the server, the cached one fills it in. */
  withCache(now: ConversationSummary[]): ConversationSummary[] {
    return this.session.contacts.loaded || !this.cachedSummaries.length ? now : withCached(now, this.cachedSummaries);
  }

  track(conv: Conversation) {
    this.keeper?.track(conv);
  }

  rememberJid(jid: string) {
    this.keeper?.rememberJid(jid);
  }

  /** Stops keeping anything; nothing is saved for the next page. */
  signOut() {
    this.signedOut = true;
    this.keeper?.close();
    dropSnapshot(this.account);
  }

  /** Deletes this account's data on this device. */
  async erase() {
    const db = await this.db;
    if (!db) return;
    db.close();
    await import('./persist/db.js').then((m) => m.dropAccountDb(this.account)).catch((e) => console.warn('cc: cache', e));
  }
}
